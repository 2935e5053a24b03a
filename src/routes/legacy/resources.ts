import { Hono } from 'hono';
import { z } from 'zod';
import { RESOURCE_STATUS } from '../../domain/resource-status.js';
import type { AppEnv } from '../../http/env.js';
import { getDeployment } from '../../services/deployments/get-deployment.js';
import { NotFoundError } from '../../services/errors.js';
import { legacyExtraInfo, legacyResource } from '../../services/legacy/shapes.js';
import { getResource } from '../../services/resources/get-resource.js';
import { listResources, type ResourceSortField } from '../../services/resources/list-resources.js';
import { runResourceAction } from '../../services/resources/run-resource-action.js';
import { caller, deploymentIdOf, LegacyError, legacyJson, notFoundResource, parseBody, readJsonBody, resourceIdOf } from './http.js';
import { filtersOf, MAX_SIZE, pageableOf, pagedBody, publicBase } from './paging.js';

const RESOURCE_SORT: Record<string, ResourceSortField> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  state: 'status',
  toscaNodeName: 'name',
  toscaNodeType: 'type',
};

/** Deleted resources have no legacy state (Java removed their rows): they are not listed and 404. */
const SHOWN_STATUSES = Object.values(RESOURCE_STATUS).filter((s) => s !== RESOURCE_STATUS.DELETED);

/** Java accepted VM actions only on a deployment at rest. */
const ACTIONABLE_DEPLOYMENT = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_FAILED'];

const ActionRequest = z.object(
  {
    type: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['start', 'stop'], { error: 'type must be start or stop' })),
  },
  { error: 'The request body must be a JSON object' },
);

export const legacyResourcesRoutes = new Hono<AppEnv>()
  .get('/deployments/:id/resources', async (c) => {
    const deps = c.get('deps');
    const id = deploymentIdOf(c);
    const p = pageableOf(c, RESOURCE_SORT);
    const type = c.req.query('type') || undefined;
    const { rows, total } = await listResources(deps.db, caller(c), id, { type, statuses: SHOWN_STATUSES }, { limit: p.limit, offset: p.offset, sort: p.v1Sort });
    const base = publicBase(c);
    return legacyJson(pagedBody(`${base}/deployments/${id}/resources`, filtersOf(c, ['type']), p, total, rows.map((r) => legacyResource(r, base)), true));
  })
  .get('/deployments/:id/resources/:rid', async (c) => {
    const id = deploymentIdOf(c);
    const rid = resourceIdOf(c, id);
    const r = await getResource(c.get('deps').db, caller(c), id, rid);
    if (r.status === RESOURCE_STATUS.DELETED) throw notFoundResource(id, rid);
    return legacyJson(legacyResource(r, publicBase(c)));
  })
  .post('/deployments/:id/resources/:rid/actions', async (c) => {
    const deps = c.get('deps');
    const id = deploymentIdOf(c);
    const unknown = (rid: string) => new LegacyError(400, `Resource ${rid} not found in deployment ${id}`);
    const rid = resourceIdOf(c, id, unknown);
    const { type } = parseBody(ActionRequest, await readJsonBody(c));
    const deployment = await getDeployment(deps.db, caller(c), id);
    if (!ACTIONABLE_DEPLOYMENT.includes(deployment.statusName)) {
      throw new LegacyError(409, `Cannot ${type} a resource of a deployment in ${deployment.statusName} state`);
    }
    try {
      await runResourceAction(deps, caller(c), id, rid, type);
    } catch (err) {
      if (err instanceof NotFoundError && err.message.startsWith('Resource ')) throw unknown(rid);
      throw err;
    }
    return legacyJson({}, 202);
  })
  .get('/deployments/:id/extrainfo', async (c) => {
    const deps = c.get('deps');
    const { rows } = await listResources(deps.db, caller(c), deploymentIdOf(c), { statuses: SHOWN_STATUSES }, {
      limit: MAX_SIZE,
      offset: 0,
      sort: { field: 'created_at', direction: 'asc' },
    });
    return legacyJson(legacyExtraInfo(rows));
  });
