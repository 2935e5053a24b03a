import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authedRoute } from '../../http/authed-route.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { pickErrors } from '../../http/openapi-responses.js';
import { assertKnownQueryParams } from '../../http/pagination.js';
import type { Caller } from '../../services/deployments/access.js';
import { deleteDeploymentLogs, getDeploymentLogs } from '../../services/logs/deployment-logs.js';
import { DeploymentIdParam } from './resources.js';

/** Enough for any tail a person reads; larger windows are what `since` is for. */
export const MAX_TAIL = 100_000;

export const LogsQuery = z.object({
  since: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .optional()
    .openapi({ description: 'Only orchestrator lines stamped after this instant (for following a log)' }),
  tail: z.coerce
    .number({ error: `must be an integer from 1 to ${MAX_TAIL}` })
    .int({ error: `must be an integer from 1 to ${MAX_TAIL}` })
    .min(1, { error: `must be an integer from 1 to ${MAX_TAIL}` })
    .max(MAX_TAIL, { error: `must be an integer from 1 to ${MAX_TAIL}` })
    .optional()
    .openapi({ description: 'Only the last N orchestrator lines' }),
});

export const DeploymentLogsSchema = z
  .object({
    timestamp: z.string().openapi({ description: 'Last update of the logs (ISO 8601)' }),
    im_logs: z.string().nullable().openapi({ description: 'The IM contextualization log (contmsg), secrets masked' }),
    orchestrator_logs: z.string().nullable().openapi({ description: "The orchestrator's lines for this deployment, one per line after its ISO stamp" }),
  })
  .openapi('DeploymentLogs');

const tags = ['Deployment logs'];
const caller = (c: Context<AppEnv>): Caller => ({ identity: c.get('identity'), userId: c.get('userId') });

/** The spec names the collection `/deployments` for reading and `/deployment` for deleting; both answer both. */
function logRoutes<P extends string>(path: P, suffix: string, hidden: boolean) {
  const get = authedRoute({
    method: 'get',
    path,
    tags,
    operationId: `getDeploymentLogs${suffix}`,
    summary: 'Retrieve the logs of a deployment',
    hide: hidden,
    request: { params: DeploymentIdParam, query: LogsQuery },
    responses: { 200: { description: 'The logs', content: { 'application/json': { schema: DeploymentLogsSchema } } }, ...pickErrors(401, 403, 404, 422, 500) },
  });
  const del = authedRoute({
    method: 'delete',
    path,
    tags,
    operationId: `deleteDeploymentLogs${suffix}`,
    summary: 'Delete the logs of a deployment (admins)',
    hide: hidden,
    request: { params: DeploymentIdParam },
    responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404, 422, 500) },
  });
  return { get, del };
}

const plural = logRoutes('/deployments/{dep_id}/logs', '', false);
const singular = logRoutes('/deployment/{dep_id}/logs', 'Singular', true);

export const logsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
for (const r of [plural, singular]) {
  logsRoutes
    .openapi(r.get, async (c) => {
      assertKnownQueryParams(c.req.url, LogsQuery);
      const q = c.req.valid('query');
      const logs = await getDeploymentLogs(c.get('deps').db, caller(c), c.req.valid('param').dep_id, {
        since: q.since === undefined ? undefined : new Date(q.since),
        tail: q.tail,
      });
      return c.json({ timestamp: logs.timestamp.toISOString(), im_logs: logs.imLogs, orchestrator_logs: logs.orchestratorLogs }, 200);
    })
    .openapi(r.del, async (c) => {
      await deleteDeploymentLogs(c.get('deps').db, caller(c), c.req.valid('param').dep_id);
      return c.body(null, 204);
    });
}
