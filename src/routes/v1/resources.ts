import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseResourceStatus, type ResourceAction } from '../../domain/resource-actions.js';
import { authedRoute } from '../../http/authed-route.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { pickErrors } from '../../http/openapi-responses.js';
import { listQuery, pageEnvelope, pageEnvelopeSchema, pageQuery, pageWindow, parseSort } from '../../http/pagination.js';
import { filterValue } from '../../http/schemas.js';
import { absoluteUrl } from '../../http/urls.js';
import type { Caller } from '../../services/deployments/access.js';
import { ValidationError } from '../../services/errors.js';
import { getResource } from '../../services/resources/get-resource.js';
import { listResources, type ResourceSortField } from '../../services/resources/list-resources.js';
import { resetResourceStatus } from '../../services/resources/reset-resource-status.js';
import type { ResourceView } from '../../services/resources/resource-view.js';
import { runResourceAction } from '../../services/resources/run-resource-action.js';

const uuidParam = (name: string) =>
  z
    .uuid({ error: 'must be a UUID' })
    .transform((id) => id.toLowerCase())
    .openapi({ param: { name, in: 'path' }, example: '0192f5c4-4b1e-7a3e-9c1d-2f6a8b9c0d1e' });

export const DeploymentIdParam = z.object({ dep_id: uuidParam('dep_id') });
export const ResourceParams = DeploymentIdParam.extend({ id: uuidParam('id') });

export const ResourceSchema = z
  .object({
    id: z.uuid(),
    created_at: z.string(),
    created_by: z.uuid().nullable(),
    updated_at: z.string(),
    updated_by: z.uuid().nullable(),
    im_vm_idx: z.string().nullable().openapi({ description: 'Index of the VM in the IM infrastructure; null for non-compute nodes' }),
    status: z.number().int(),
    status_name: z.string(),
    status_reason: z.string().nullable(),
    tosca_node_type: z.string(),
    tosca_node_name: z.string(),
    required_by: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The IM VM info, secrets masked' }),
    links: z.object({ self: z.string(), deployment: z.string() }),
  })
  .openapi('Resource');
export type ResourceResponse = z.infer<typeof ResourceSchema>;

function toResponse(v: ResourceView, link: (path: string) => string): ResourceResponse {
  return {
    id: v.id,
    created_at: v.createdAt.toISOString(),
    created_by: v.createdBy,
    updated_at: v.updatedAt.toISOString(),
    updated_by: v.updatedBy,
    im_vm_idx: v.imVmIdx === null ? null : String(v.imVmIdx),
    status: v.status,
    status_name: v.statusName,
    status_reason: v.statusReason,
    tosca_node_type: v.toscaNodeType,
    tosca_node_name: v.toscaNodeName,
    required_by: v.requiredBy,
    metadata: v.metadata,
    links: {
      self: link(`/api/v1/deployments/${v.deploymentId}/resources/${v.id}`),
      deployment: link(`/api/v1/deployments/${v.deploymentId}`),
    },
  };
}

const SORT = ['created_at', 'updated_at', 'status', 'name', 'type'] as const;

export const ResourceListQuery = listQuery(pageQuery(SORT, 'created_at').extend({
  type: filterValue(255).optional().openapi({ description: 'Exact TOSCA type or any parent type' }),
  status: z.union([z.string().max(512), z.array(z.string().max(512)).max(20)]).optional().openapi({ description: 'Status names or codes; comma list or repeated' }),
  name: filterValue(255).optional().openapi({ description: 'TOSCA node name' }),
}));

export const ResetStatusSchema = z
  .object({ status: z.string().regex(/^error$/i, { error: 'the only status a reset sets is "error"' }).optional() })
  .strict()
  .openapi('ResourceResetStatus');

function statusesOf(url: string): number[] | undefined {
  const raw = new URL(url).searchParams.getAll('status').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!raw.length) return undefined;
  const bad = raw.filter((t) => parseResourceStatus(t) === undefined);
  if (bad.length) throw new ValidationError(`Unknown status ${bad.join(', ')}`, [{ loc: ['query', 'status'], msg: 'must be status names or codes' }]);
  return [...new Set(raw.map((t) => parseResourceStatus(t)!))];
}

const caller = (c: Context<AppEnv>): Caller => ({ identity: c.get('identity'), userId: c.get('userId') });
const linker = (c: Context<AppEnv>) => {
  const origin = absoluteUrl(c.req.url, c.get('deps').settings.publicUrl, '/').slice(0, -1);
  return (path: string) => origin + path;
};

const tags = ['Resources'];

const listRoute = authedRoute({
  method: 'get',
  path: '/deployments/{dep_id}/resources',
  tags,
  operationId: 'listResources',
  summary: "List a deployment's resources",
  request: { params: DeploymentIdParam, query: ResourceListQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageEnvelopeSchema(ResourceSchema) } } }, ...pickErrors(400, 401, 403, 404, 422, 500) },
});
const getRoute = authedRoute({
  method: 'get',
  path: '/deployments/{dep_id}/resources/{id}',
  tags,
  operationId: 'getResource',
  summary: 'Retrieve a resource',
  request: { params: ResourceParams },
  responses: { 200: { description: 'The resource', content: { 'application/json': { schema: ResourceSchema } } }, ...pickErrors(401, 403, 404, 422, 500) },
});

function actionRoute<A extends ResourceAction>(action: A, summary: string) {
  return authedRoute({
    method: 'patch',
    path: `/deployments/{dep_id}/resources/{id}/${action}` as `/deployments/{dep_id}/resources/{id}/${A}`,
    tags,
    operationId: `${action}Resource`,
    summary,
    request: { params: ResourceParams },
    responses: { 202: { description: 'Accepted; poll the resource' }, ...pickErrors(401, 403, 404, 409, 422, 500) },
  });
}
const startRoute = actionRoute('start', 'Start the VM of a compute resource');
const stopRoute = actionRoute('stop', 'Stop the VM of a compute resource');
const rebootRoute = actionRoute('reboot', 'Reboot the VM of a started compute resource');
const resetRoute = authedRoute({
  method: 'patch',
  path: '/deployments/{dep_id}/resources/{id}/reset-status',
  tags,
  operationId: 'resetResourceStatus',
  summary: 'Force a resource to ERROR (a running action stops without writing)',
  request: { params: ResourceParams, body: { required: false, content: { 'application/json': { schema: ResetStatusSchema } } } },
  responses: { 202: { description: 'Reset' }, ...pickErrors(400, 401, 403, 404, 409, 422, 500) },
});

const act = (c: Context<AppEnv>, p: { dep_id: string; id: string }, action: ResourceAction) => runResourceAction(c.get('deps'), caller(c), p.dep_id, p.id, action);

export const resourcesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const { rows, total } = await listResources(
      c.get('deps').db,
      caller(c),
      c.req.valid('param').dep_id,
      { type: q.type, statuses: statusesOf(c.req.url), name: q.name },
      { ...pageWindow(q.page, q.size), sort: parseSort<ResourceSortField>(q.sort) },
    );
    const link = linker(c);
    return c.json(pageEnvelope(c.req.url, c.get('deps').settings.publicUrl, q.page, q.size, total, rows.map((r) => toResponse(r, link))), 200);
  })
  .openapi(getRoute, async (c) => {
    const p = c.req.valid('param');
    return c.json(toResponse(await getResource(c.get('deps').db, caller(c), p.dep_id, p.id), linker(c)), 200);
  })
  .openapi(startRoute, async (c) => {
    await act(c, c.req.valid('param'), 'start');
    return c.body(null, 202);
  })
  .openapi(stopRoute, async (c) => {
    await act(c, c.req.valid('param'), 'stop');
    return c.body(null, 202);
  })
  .openapi(rebootRoute, async (c) => {
    await act(c, c.req.valid('param'), 'reboot');
    return c.body(null, 202);
  })
  .openapi(resetRoute, async (c) => {
    const p = c.req.valid('param');
    await resetResourceStatus(c.get('deps'), caller(c), p.dep_id, p.id);
    return c.body(null, 202);
  });
