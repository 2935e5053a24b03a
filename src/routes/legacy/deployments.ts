import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ALL_DEPLOYMENT_STATUSES, DEPLOYMENT_STATUS as S, parseDeploymentStatus, type DeploymentStatusName } from '../../domain/deployment-status.js';
import { RESET_TARGET } from '../../domain/deployment-rules.js';
import { isMemberOfAny } from '../../http/auth/groups.js';
import type { AppEnv } from '../../http/env.js';
import { visibleDeployment } from '../../services/deployments/access.js';
import { createDeployment } from '../../services/deployments/create-deployment.js';
import { deleteDeployment } from '../../services/deployments/delete-deployment.js';
import { getDeployment } from '../../services/deployments/get-deployment.js';
import { listDeployments, type DeploymentSortField } from '../../services/deployments/list-deployments.js';
import { resetStatus } from '../../services/deployments/reset-status.js';
import { updateDeployment } from '../../services/deployments/update-deployment.js';
import { ForbiddenError } from '../../services/errors.js';
import { legacySources, replaceCallback, resolveCreatedBy, withInlineTemplate } from '../../services/legacy/deployments.js';
import { legacyDeployment } from '../../services/legacy/shapes.js';
import { getDeploymentLogs } from '../../services/logs/deployment-logs.js';
import { sha256Hex } from '../../services/templates/checksum.js';
import { caller, deploymentIdOf, LegacyError, legacyBool, legacyInt, legacyJson, legacyText, parseBody, readJsonBody } from './http.js';
import { filtersOf, pageableOf, pagedBody, publicBase } from './paging.js';

/** v1 bounds the legacy API did not have: larger values are clamped, not refused. */
const MAX_TOTAL_TIMEOUT_MINS = 14_400;
const DEFAULT_PROVIDER_TIMEOUT_MINS = 1440;
const DEFAULT_PROVIDER_RETRIES = 3;

const callbackField = z
  .string({ error: 'callback must be a string' })
  .nullish()
  .transform((v) => (v ? v.trim() : undefined))
  .refine((v) => v === undefined || (/^https?:\/\//i.test(v) && URL.canParse(v) && v.length <= 2048 && !v.includes('\u0000')), { error: 'callback must be an http(s) URL' });

/** DeploymentRequest: unknown fields ignored, numbers and booleans also as strings. */
const DeploymentRequest = z
  .object(
    {
      template: z.string({ error: 'A TOSCA template must be provided' }).refine((t) => t.trim().length > 0, { error: 'A TOSCA template must be provided' }),
      parameters: z.record(z.string(), z.unknown(), { error: 'parameters must be an object' }).nullish().transform((v) => v ?? {}),
      callback: callbackField,
      userGroup: z
        .string({ error: 'userGroup must be a string' })
        .refine((v) => !v.includes('\u0000'), { error: 'userGroup must not contain NUL characters' })
        .nullish()
        .transform((v) => v || undefined),
      maxProvidersRetry: legacyInt(1, 'maxProvidersRetry').nullish(),
      timeoutMins: legacyInt(1, 'timeoutMins').nullish(),
      providerTimeoutMins: legacyInt(1, 'providerTimeoutMins').nullish(),
      keepLastAttempt: legacyBool('keepLastAttempt').nullish(),
    },
    { error: 'The request body must be a JSON object' },
  )
  .refine((b) => b.providerTimeoutMins == null || b.timeoutMins == null || b.providerTimeoutMins <= b.timeoutMins, {
    error: 'ProviderTimeout must be <= Timeout',
  });
type DeploymentRequest = z.infer<typeof DeploymentRequest>;

const DEPLOYMENT_SORT: Record<string, DeploymentSortField> = { createdAt: 'created_at', updatedAt: 'updated_at', status: 'status' };

async function respondWith(c: Context<AppEnv>, id: string, status: 200 | 201 | 202): Promise<Response> {
  const deps = c.get('deps');
  const [source] = await legacySources(deps.db, [await getDeployment(deps.db, caller(c), id)]);
  return legacyJson(legacyDeployment(source!, deps.providers, publicBase(c)), status);
}

function timeouts(b: DeploymentRequest) {
  const tot = Math.min(b.timeoutMins ?? MAX_TOTAL_TIMEOUT_MINS, MAX_TOTAL_TIMEOUT_MINS);
  return { totTimeoutMins: tot, perProviderTimeoutMins: Math.min(b.providerTimeoutMins ?? DEFAULT_PROVIDER_TIMEOUT_MINS, tot) };
}

function excludedStatuses(c: Context<AppEnv>): number[] | undefined {
  const names = new URL(c.req.url).searchParams.getAll('excludedStatus').flatMap((v) => v.split(','));
  const excluded = new Set(names.map((n) => parseDeploymentStatus(n.trim())).filter((s) => s !== undefined));
  return excluded.size ? ALL_DEPLOYMENT_STATUSES.filter((s) => !excluded.has(s)) : undefined;
}

/** Statuses a legacy delete refuses (Java had no re-delete; v1 restarts a running one). */
const ALREADY_DELETING: readonly number[] = [S.DELETE_IN_PROGRESS, S.DELETE_COMPLETE];
const RESET_STATUSES: readonly DeploymentStatusName[] = ['DELETE_FAILED', 'CREATE_FAILED', 'UPDATE_FAILED'];

export const legacyDeploymentsRoutes = new Hono<AppEnv>()
  .get('/deployments', async (c) => {
    const deps = c.get('deps');
    const who = caller(c);
    const q = new URL(c.req.url).searchParams;
    const userGroup = q.get('userGroup') || undefined;
    if (userGroup !== undefined && !who.identity.isAdmin && !isMemberOfAny(who.identity.groups, [userGroup])) {
      throw new ForbiddenError(`The group ${userGroup} is not in the user's authorized groups`);
    }
    const createdBy = await resolveCreatedBy(deps.db, who, q.get('createdBy') ?? undefined);
    const p = pageableOf(c, DEPLOYMENT_SORT);
    const statuses = excludedStatuses(c);
    const { rows, total } =
      createdBy.nobody || statuses?.length === 0
        ? { rows: [], total: 0 }
        : await listDeployments(deps.db, who, { ownedBy: createdBy.ownedBy, userGroup, statuses }, { limit: p.limit, offset: p.offset, sort: p.v1Sort });
    const base = publicBase(c);
    const content = (await legacySources(deps.db, rows)).map((s) => legacyDeployment(s, deps.providers, base));
    return legacyJson(pagedBody(`${base}/deployments`, filtersOf(c, ['createdBy', 'userGroup', 'excludedStatus']), p, total, content, false));
  })
  .post('/deployments', async (c) => {
    const deps = c.get('deps');
    const b = parseBody(DeploymentRequest, await readJsonBody(c));
    const who = caller(c);
    const { id } = await withInlineTemplate(deps, who.userId, b.template, (templateId) =>
      createDeployment(deps, who, {
        templateId,
        templateInputs: b.parameters,
        userGroup: b.userGroup,
        maxProviders: b.maxProvidersRetry ?? null,
        perProviderMaxRetries: DEFAULT_PROVIDER_RETRIES,
        ...timeouts(b),
        keepLastAttempt: b.keepLastAttempt ?? false,
        callback: b.callback,
      }),
    );
    return respondWith(c, id, 201);
  })
  .get('/deployments/:id', async (c) => respondWith(c, deploymentIdOf(c), 200))
  .put('/deployments/:id', async (c) => {
    const deps = c.get('deps');
    const id = deploymentIdOf(c);
    const b = parseBody(DeploymentRequest, await readJsonBody(c));
    const row = await visibleDeployment(deps.db, caller(c), id);
    if ((await sha256Hex(b.template)) !== (await sha256Hex(row.templateContent ?? ''))) {
      throw new LegacyError(400, 'Changing the template of a deployment is not supported: send its template (GET …/template) with the new parameters');
    }
    await updateDeployment(deps, caller(c), id, { templateInputs: b.parameters });
    if (b.callback) await replaceCallback(deps.db, id, b.callback);
    return respondWith(c, id, 202);
  })
  .patch('/deployments/:id', async (c) => {
    const deps = c.get('deps');
    const id = deploymentIdOf(c);
    const b = parseBody(z.object({ status: z.string({ error: 'status must be given' }) }, { error: 'The request body must be a JSON object' }), await readJsonBody(c));
    const wanted = b.status.trim().toUpperCase() as DeploymentStatusName;
    if (!RESET_STATUSES.includes(wanted)) throw new LegacyError(400, `Cannot reset deployment: illegal status ${b.status}.`);
    const view = await getDeployment(deps.db, caller(c), id);
    if (RESET_TARGET[view.status as keyof typeof RESET_TARGET] !== S[wanted]) throw new LegacyError(409, `Cannot reset a deployment in ${view.statusName} state`);
    await resetStatus(deps, caller(c), id, null);
    return c.body(null, 204);
  })
  .delete('/deployments/:id', async (c) => {
    const deps = c.get('deps');
    const id = deploymentIdOf(c);
    const force = /^true$/i.test(c.req.query('force')?.trim() ?? '');
    const view = await getDeployment(deps.db, caller(c), id);
    if (ALREADY_DELETING.includes(view.status)) throw new LegacyError(409, `Deployment already in ${view.statusName} state.`);
    await deleteDeployment(deps, caller(c), id, { unsecure: force });
    return c.body(null, 204);
  })
  .get('/deployments/:id/template', async (c) => {
    const row = await visibleDeployment(c.get('deps').db, caller(c), deploymentIdOf(c));
    return legacyText(row.templateContent ?? '');
  })
  .get('/deployments/:id/log', async (c) => {
    const logs = await getDeploymentLogs(c.get('deps').db, caller(c), deploymentIdOf(c), {});
    return legacyText(logs.imLogs ?? logs.orchestratorLogs ?? '');
  });
