import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseDeploymentStatus } from '../../domain/deployment-status.js';
import { authedRoute } from '../../http/authed-route.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { CreatedIdSchema, IdParam, pickErrors } from '../../http/openapi-responses.js';
import { listQuery, pageEnvelope, pageEnvelopeSchema, pageQuery, pageWindow, parseSort } from '../../http/pagination.js';
import { filterValue, text } from '../../http/schemas.js';
import { absoluteUrl } from '../../http/urls.js';
import { ValidationError } from '../../services/errors.js';
import type { Caller } from '../../services/deployments/access.js';
import { createDeployment } from '../../services/deployments/create-deployment.js';
import { deleteDeployment } from '../../services/deployments/delete-deployment.js';
import type { DeploymentView } from '../../services/deployments/deployment-view.js';
import { getDeployment } from '../../services/deployments/get-deployment.js';
import { listDeployments, type DeploymentSortField } from '../../services/deployments/list-deployments.js';
import { addDeploymentOwner, removeDeploymentOwner } from '../../services/deployments/owners.js';
import { resetStatus } from '../../services/deployments/reset-status.js';
import { updateDeployment } from '../../services/deployments/update-deployment.js';

/** More inputs than any template declares: a bigger object is junk or an attempt to make the merge and checks costly. */
export const MAX_TEMPLATE_INPUTS = 200;

const Inputs = z
  .record(z.string(), z.unknown())
  .refine((inputs) => Object.keys(inputs).length <= MAX_TEMPLATE_INPUTS, { error: `must hold at most ${MAX_TEMPLATE_INPUTS} inputs` })
  .openapi({ description: `Values for the template inputs (at most ${MAX_TEMPLATE_INPUTS})` });

export const DeploymentCreateSchema = z
  .object({
    template_id: z.uuid({ error: 'must be a template id (UUID)' }),
    template_inputs: Inputs.default({}),
    user_group: text(255).optional(),
    per_provider_max_retries: z.number().int().min(1).max(10).default(3),
    max_providers: z.number().int().min(1).nullable().default(null),
    tot_timeout_mins: z.number().int().min(1).max(14_400).default(14_400),
    per_provider_timeout_mins: z.number().int().min(1).default(1440).openapi({ description: 'Clamped to tot_timeout_mins' }),
    keep_last_attempt: z.boolean().default(false),
    target_provider: text(255).optional(),
    target_region: text(255).optional(),
    callback: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  })
  .strict()
  .openapi('DeploymentCreate');

export const DeploymentPatchSchema = z
  .object({ user_group: text(255).optional(), template_inputs: Inputs.optional() })
  .strict()
  .openapi('DeploymentUpdate');

const AttemptSchema = z.object({
  seq: z.number().int(),
  provider: z.string(),
  region: z.string().nullable(),
  iaas_project: z.string().nullable(),
  im_infra_id: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  outcome: z.string().nullable(),
  error: z.string().nullable(),
});

export const DeploymentSchema = z
  .object({
    id: z.uuid(),
    created_at: z.string(),
    created_by: z.uuid().nullable(),
    updated_at: z.string(),
    updated_by: z.uuid().nullable(),
    owned_by: z.array(z.uuid()),
    template_id: z.uuid().nullable(),
    template_inputs: z.record(z.string(), z.unknown()),
    template_outputs: z.record(z.string(), z.unknown()),
    user_group: z.string().nullable(),
    max_providers: z.number().int().nullable(),
    per_provider_max_retries: z.number().int().nullable(),
    per_provider_timeout_mins: z.number().int().nullable(),
    tot_timeout_mins: z.number().int().nullable(),
    keep_last_attempt: z.boolean(),
    target_provider: z.string().nullable(),
    target_region: z.string().nullable(),
    target_iaas_project: z.string().nullable(),
    im_infra_id: z.string().nullable(),
    status: z.number().int(),
    status_name: z.string(),
    status_reason: z.string().nullable(),
    task: z.number().int(),
    task_name: z.string(),
    started_at: z.string().nullable().openapi({ description: 'When the current (or last) create, update or delete was submitted' }),
    finished_at: z.string().nullable().openapi({ description: 'When that operation reached a final status; null while it runs' }),
    links: z.object({ template: z.string().nullable(), resources: z.string(), logs: z.string() }),
    attempts: z.array(AttemptSchema).optional().openapi({ description: 'Every provider tried (single reads only)' }),
  })
  .openapi('Deployment');
type DeploymentResponse = z.infer<typeof DeploymentSchema>;

function toResponse(v: DeploymentView, link: (path: string) => string): DeploymentResponse {
  return {
    id: v.id,
    created_at: v.createdAt.toISOString(),
    created_by: v.createdBy,
    updated_at: v.updatedAt.toISOString(),
    updated_by: v.updatedBy,
    owned_by: v.ownedBy,
    template_id: v.templateId,
    template_inputs: v.templateInputs,
    template_outputs: v.templateOutputs,
    user_group: v.userGroup,
    max_providers: v.maxProviders,
    per_provider_max_retries: v.perProviderMaxRetries,
    per_provider_timeout_mins: v.perProviderTimeoutMins,
    tot_timeout_mins: v.totTimeoutMins,
    keep_last_attempt: v.keepLastAttempt,
    target_provider: v.targetProvider,
    target_region: v.targetRegion,
    target_iaas_project: v.targetIaasProject,
    im_infra_id: v.imInfraId,
    status: v.status,
    status_name: v.statusName,
    status_reason: v.statusReason,
    task: v.task,
    task_name: v.taskName,
    started_at: v.startedAt?.toISOString() ?? null,
    finished_at: v.finishedAt?.toISOString() ?? null,
    links: {
      template: v.templateId ? link(`/api/v1/templates/${v.templateId}`) : null,
      resources: link(`/api/v1/deployments/${v.id}/resources`),
      logs: link(`/api/v1/deployments/${v.id}/logs`),
    },
    ...(v.attempts
      ? {
          attempts: v.attempts.map((a) => ({
            seq: a.seq,
            provider: a.provider,
            region: a.region,
            iaas_project: a.iaasProject,
            im_infra_id: a.imInfraId,
            started_at: a.startedAt.toISOString(),
            finished_at: a.finishedAt?.toISOString() ?? null,
            outcome: a.outcome,
            error: a.error,
          })),
        }
      : {}),
  };
}

const SORT = ['created_at', 'updated_at', 'status'] as const;
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const DeploymentListQuery = listQuery(pageQuery(SORT, '-created_at').extend({
  status: z.string().max(512).optional().openapi({ description: 'Status names or codes; comma list or repeated' }),
  owned_by: z.union([z.uuid(), z.literal('me')], { error: 'must be a user id or "me"' }).optional(),
  created_by: z.union([z.uuid(), z.literal('me')], { error: 'must be a user id or "me"' }).optional(),
  user_group: filterValue(255).optional(),
  template_id: z.uuid().optional(),
  target_provider: filterValue(255).optional(),
  created_after: isoTime.optional(),
  created_before: isoTime.optional(),
}));

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).optional();
const DeleteQuery = z.object({ force: flag, unsecure: flag });
const OwnerParams = IdParam.extend({ user_id: z.uuid({ error: 'must be a user id (UUID)' }).transform((s) => s.toLowerCase()) });

function statusesOf(url: string): number[] | undefined {
  const raw = new URL(url).searchParams.getAll('status').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!raw.length) return undefined;
  const bad = raw.filter((t) => parseDeploymentStatus(t) === undefined);
  if (bad.length) throw new ValidationError(`Unknown status ${bad.join(', ')}`, [{ loc: ['query', 'status'], msg: 'must be status names or codes' }]);
  return [...new Set(raw.map((t) => parseDeploymentStatus(t)!))];
}

const caller = (c: Context<AppEnv>): Caller => ({ identity: c.get('identity'), userId: c.get('userId') });
/** Links on the request's origin (or PUBLIC_URL), worked out once per response rather than once per link. */
const linker = (c: Context<AppEnv>) => {
  const origin = absoluteUrl(c.req.url, c.get('deps').settings.publicUrl, '/').slice(0, -1);
  return (path: string) => origin + path;
};

const tags = ['Deployments'];
const idem = z.object({ 'idempotency-key': z.string().min(1).max(255).optional() });

const createRoute = authedRoute({
  method: 'post',
  path: '/deployments',
  tags,
  operationId: 'createDeployment',
  summary: 'Deploy a template',
  request: { headers: idem, body: { required: true, content: { 'application/json': { schema: DeploymentCreateSchema } } } },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: CreatedIdSchema } } }, ...pickErrors(400, 401, 403, 413, 422, 500) },
});
const getRoute = authedRoute({
  method: 'get',
  path: '/deployments/{id}',
  tags,
  operationId: 'getDeployment',
  summary: 'Retrieve a deployment',
  request: { params: IdParam },
  responses: { 200: { description: 'The deployment', content: { 'application/json': { schema: DeploymentSchema } } }, ...pickErrors(401, 403, 404, 422, 500) },
});
const listRoute = authedRoute({
  method: 'get',
  path: '/deployments',
  tags,
  operationId: 'listDeployments',
  summary: 'List deployments (yours; all for admins)',
  request: { query: DeploymentListQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageEnvelopeSchema(DeploymentSchema) } } }, ...pickErrors(400, 401, 403, 422, 500) },
});
const patchRoute = authedRoute({
  method: 'patch',
  path: '/deployments/{id}',
  tags,
  operationId: 'updateDeployment',
  summary: 'Redeploy with new inputs (owners), or change the group (admins)',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DeploymentPatchSchema } } } },
  responses: { 202: { description: 'Redeploying' }, 204: { description: 'Updated' }, ...pickErrors(400, 401, 403, 404, 409, 413, 422, 500) },
});
const deleteRoute = authedRoute({
  method: 'delete',
  path: '/deployments/{id}',
  tags,
  operationId: 'deleteDeployment',
  summary: 'Delete a deployment (cancels a running create or update)',
  request: { params: IdParam, query: DeleteQuery },
  responses: { 202: { description: 'Deleting' }, 204: { description: 'Deleted' }, ...pickErrors(400, 401, 403, 404, 409, 422, 500) },
});
const resetRoute = authedRoute({
  method: 'post',
  path: '/deployments/{id}/reset-status',
  tags,
  operationId: 'resetDeploymentStatus',
  summary: 'Move a stuck in-progress deployment to its failed state',
  request: { params: IdParam },
  responses: { 202: { description: 'Reset' }, ...pickErrors(401, 403, 404, 409, 422, 500) },
});
const addOwnerRoute = authedRoute({
  method: 'post',
  path: '/deployments/{id}/owners',
  tags,
  operationId: 'addDeploymentOwner',
  summary: 'Add an owner (admins)',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ id: z.uuid() }).strict() } } } },
  responses: { 202: { description: 'Owner added, key being installed' }, 204: { description: 'Already an owner' }, ...pickErrors(400, 401, 403, 404, 409, 422, 500) },
});
const removeOwnerRoute = authedRoute({
  method: 'delete',
  path: '/deployments/{id}/owners/{user_id}',
  tags,
  operationId: 'removeDeploymentOwner',
  summary: 'Remove an owner (admins; never the last one)',
  request: { params: OwnerParams },
  responses: { 202: { description: 'Owner removed, key being removed' }, 204: { description: 'Not an owner' }, ...pickErrors(401, 403, 404, 409, 422, 500) },
});

export const deploymentsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createRoute, async (c) => {
    const b = c.req.valid('json');
    const { id } = await createDeployment(
      c.get('deps'),
      caller(c),
      {
        templateId: b.template_id.toLowerCase(),
        templateInputs: b.template_inputs,
        userGroup: b.user_group,
        maxProviders: b.max_providers,
        perProviderMaxRetries: b.per_provider_max_retries,
        totTimeoutMins: b.tot_timeout_mins,
        perProviderTimeoutMins: b.per_provider_timeout_mins,
        keepLastAttempt: b.keep_last_attempt,
        targetProvider: b.target_provider,
        targetRegion: b.target_region,
        callback: b.callback,
      },
      c.req.valid('header')['idempotency-key'],
    );
    c.header('Location', linker(c)(`/api/v1/deployments/${id}`));
    return c.json({ id }, 202);
  })
  .openapi(getRoute, async (c) => {
    const view = await getDeployment(c.get('deps').db, caller(c), c.req.valid('param').id);
    return c.json(toResponse(view, linker(c)), 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const { rows, total } = await listDeployments(
      c.get('deps').db,
      caller(c),
      {
        statuses: statusesOf(c.req.url),
        ownedBy: q.owned_by,
        createdBy: q.created_by,
        userGroup: q.user_group,
        templateId: q.template_id?.toLowerCase(),
        targetProvider: q.target_provider,
        createdFrom: q.created_after ? new Date(q.created_after) : undefined,
        createdTo: q.created_before ? new Date(q.created_before) : undefined,
      },
      { ...pageWindow(q.page, q.size), sort: parseSort<DeploymentSortField>(q.sort) },
    );
    const link = linker(c);
    return c.json(pageEnvelope(c.req.url, c.get('deps').settings.publicUrl, q.page, q.size, total, rows.map((r) => toResponse(r, link))), 200);
  })
  .openapi(patchRoute, async (c) => {
    const b = c.req.valid('json');
    const outcome = await updateDeployment(c.get('deps'), caller(c), c.req.valid('param').id, { userGroup: b.user_group, templateInputs: b.template_inputs });
    return c.body(null, outcome === 'redeploying' ? 202 : 204);
  })
  .openapi(deleteRoute, async (c) => {
    const q = c.req.valid('query');
    const outcome = await deleteDeployment(c.get('deps'), caller(c), c.req.valid('param').id, { force: q.force === 'true', unsecure: q.unsecure === 'true' });
    return c.body(null, outcome === 'deleting' ? 202 : 204);
  })
  .openapi(resetRoute, async (c) => {
    await resetStatus(c.get('deps'), caller(c), c.req.valid('param').id);
    return c.body(null, 202);
  })
  .openapi(addOwnerRoute, async (c) => {
    const outcome = await addDeploymentOwner(c.get('deps'), caller(c), c.req.valid('param').id, c.req.valid('json').id.toLowerCase());
    return c.body(null, outcome === 'added' ? 202 : 204);
  })
  .openapi(removeOwnerRoute, async (c) => {
    const p = c.req.valid('param');
    const outcome = await removeDeploymentOwner(c.get('deps'), caller(c), p.id, p.user_id);
    return c.body(null, outcome === 'removed' ? 202 : 204);
  });
