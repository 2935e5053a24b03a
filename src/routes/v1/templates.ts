import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { TemplateRecord } from '../../services/templates/get-template.js';
import { authedRoute } from '../../http/authed-route.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { FieldLocSchema, IdParam, pickErrors } from '../../http/openapi-responses.js';
import { listQuery, pageEnvelope, pageEnvelopeSchema, pageQuery, pageWindow, parseSort } from '../../http/pagination.js';
import { cleanString, filterValue, text } from '../../http/schemas.js';
import { absoluteUrl } from '../../http/urls.js';
import { addTemplate } from '../../services/templates/add-template.js';
import { deleteTemplate } from '../../services/templates/delete-template.js';
import { getTemplateInputs } from '../../services/templates/get-template-inputs.js';
import { getTemplate } from '../../services/templates/get-template.js';
import { listTemplates } from '../../services/templates/list-templates.js';
import { summaryWarnings } from '../../services/templates/summary.js';
import { updateTemplate } from '../../services/templates/update-template.js';

export const TemplateSchema = z
  .object({
    id: z.uuid(),
    created_at: z.string(),
    created_by: z.uuid().nullable(),
    updated_at: z.string(),
    updated_by: z.uuid().nullable(),
    content: z.string(),
    checksum: z.string().openapi({ description: 'SHA-256 of the content, hex' }),
    name: z.string(),
    version: z.string().nullable(),
    target_provider_type: z.string(),
    tosca_definition_version: z.string(),
  })
  .openapi('Template');
export type TemplateResponse = z.infer<typeof TemplateSchema>;

export function toTemplateResponse(row: TemplateRecord): TemplateResponse {
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
    updated_by: row.updatedBy,
    content: row.content,
    checksum: row.checksum,
    name: row.name,
    version: row.version,
    target_provider_type: row.targetProviderType,
    tosca_definition_version: row.toscaDefinitionVersion,
  };
}

export const TemplateWarningSchema = z
  .object({
    loc: FieldLocSchema.openapi({
      description: 'Where in the template, as in validation errors: `["body", "content", <dotted path in the template>]`',
      example: ['body', 'content', 'topology_template.node_templates.vm.properties.flavour'],
    }),
    msg: z.string().openapi({
      description: 'What was accepted leniently or ignored, followed by ` (line N)` when the line is known',
      example: 'node template vm sets flavour, which tosca.nodes.indigo.Compute does not declare (line 12)',
    }),
  })
  .openapi('TemplateWarning', {
    description:
      'Something in the template the engine accepted leniently or ignored (an unexpected key, a property its type does not declare, …); unlike a validation error it did not refuse the template.',
  });

const warningsField = z.array(TemplateWarningSchema).openapi({ description: 'Warnings found when the content was parsed; empty for a clean template' });

/** One template with what only a single read carries (the warnings, read from the stored summary). */
export const TemplateDetailSchema = TemplateSchema.extend({ warnings: warningsField }).openapi('TemplateDetail');
export type TemplateDetailResponse = z.infer<typeof TemplateDetailSchema>;

export function toTemplateDetail(row: TemplateRecord): TemplateDetailResponse {
  return { ...toTemplateResponse(row), warnings: summaryWarnings(row.summary) };
}

export const TemplateCreatedSchema = z.object({ id: z.uuid(), warnings: warningsField }).openapi('TemplateCreated');

export const TemplateCreateSchema = z
  .object({
    content: cleanString().min(1, { error: 'must not be empty' }).openapi({ description: 'The TOSCA template, YAML' }),
    name: text(255).optional().openapi({ description: 'Required when the template has no metadata.template_name' }),
  })
  .strict()
  .openapi('TemplateCreate');

export const TemplatePutSchema = z
  .object({
    name: text(255),
    version: text(255).nullable().optional(),
    target_provider_type: text(64).optional(),
    tosca_definition_version: z
      .string()
      .regex(/^tosca_simple_yaml_1_[0-3]$/, { error: 'must be tosca_simple_yaml_1_0 … tosca_simple_yaml_1_3' })
      .optional(),
  })
  .strict()
  .openapi('TemplateMetadata');

const TEMPLATE_SORT = ['created_at', 'updated_at', 'name', 'version', 'target_provider_type', 'tosca_definition_version'] as const;

export const TemplateListQuery = listQuery(pageQuery(TEMPLATE_SORT, '-created_at').extend({
  name: filterValue(255).optional(),
  version: filterValue(255).optional(),
  target_provider_type: filterValue(64).optional(),
  tosca_definition_version: filterValue(64).optional(),
  created_by: z
    .union([z.uuid(), z.literal('me')], { error: 'must be a user id or "me"' })
    .optional()
    .openapi({ description: 'A user id, or `me` for the caller' }),
  checksum: filterValue(64).optional(),
}));

export const TemplateInputSchema = z
  .object({
    name: z.string(),
    type: z.string(),
    description: z.string().optional(),
    default: z.unknown().optional().openapi({ description: 'Masked as "*****" for secret inputs' }),
    required: z.boolean(),
    constraints: z.array(z.unknown()),
    entry_schema: z.unknown().optional(),
    secret: z.boolean(),
  })
  .openapi('TemplateInput');

const tags = ['Templates'];

const addRoute = authedRoute({
  method: 'post',
  path: '/templates',
  tags,
  operationId: 'addTemplate',
  summary: 'Add a TOSCA template',
  request: { body: { required: true, content: { 'application/json': { schema: TemplateCreateSchema } } } },
  responses: {
    201: { description: 'Stored; its id and warnings', content: { 'application/json': { schema: TemplateCreatedSchema } } },
    ...pickErrors(400, 401, 403, 409, 413, 422, 500),
  },
});

const getRoute = authedRoute({
  method: 'get',
  path: '/templates/{id}',
  tags,
  operationId: 'getTemplate',
  summary: 'Retrieve a template',
  request: { params: IdParam },
  responses: {
    200: { description: 'The template and its warnings', content: { 'application/json': { schema: TemplateDetailSchema } } },
    ...pickErrors(401, 403, 404, 422, 500),
  },
});

const inputsRoute = authedRoute({
  method: 'get',
  path: '/templates/{id}/inputs',
  tags,
  operationId: 'getTemplateInputs',
  summary: 'The inputs a deployment of this template takes, to render a form',
  request: { params: IdParam },
  responses: {
    200: {
      description: 'Declared inputs with types, defaults and constraints',
      content: { 'application/json': { schema: z.object({ inputs: z.array(TemplateInputSchema) }) } },
    },
    ...pickErrors(401, 403, 404, 422, 500),
  },
});

const listRoute = authedRoute({
  method: 'get',
  path: '/templates',
  tags,
  operationId: 'listTemplates',
  summary: 'List templates, filtered and sorted',
  request: { query: TemplateListQuery },
  responses: {
    200: { description: 'A page of templates', content: { 'application/json': { schema: pageEnvelopeSchema(TemplateSchema) } } },
    ...pickErrors(400, 401, 403, 422, 500),
  },
});

const putRoute = authedRoute({
  method: 'put',
  path: '/templates/{id}',
  tags,
  operationId: 'updateTemplate',
  summary: "Change a template's metadata (creator or admin)",
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: TemplatePutSchema } } } },
  responses: {
    200: { description: 'Updated; the template as GET shows it', content: { 'application/json': { schema: TemplateDetailSchema } } },
    ...pickErrors(400, 401, 403, 404, 409, 413, 422, 500),
  },
});

const deleteRoute = authedRoute({
  method: 'delete',
  path: '/templates/{id}',
  tags,
  operationId: 'deleteTemplate',
  summary: 'Delete a template no deployment uses (creator or admin)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404, 409, 422, 500) },
});

export const templatesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(addRoute, async (c) => {
    const deps = c.get('deps');
    const { id, warnings } = await addTemplate(deps, c.get('userId'), c.req.valid('json'));
    c.header('Location', absoluteUrl(c.req.url, deps.settings.publicUrl, `/api/v1/templates/${id}`));
    return c.json({ id, warnings }, 201);
  })
  .openapi(getRoute, async (c) => {
    const row = await getTemplate(c.get('deps').db, c.req.valid('param').id);
    return c.json(toTemplateDetail(row), 200);
  })
  .openapi(inputsRoute, async (c) => {
    const inputs = await getTemplateInputs(c.get('deps'), c.req.valid('param').id);
    return c.json({ inputs }, 200);
  })
  .openapi(listRoute, async (c) => {
    const { db, settings } = c.get('deps');
    const { page, size, sort, target_provider_type, tosca_definition_version, created_by, ...rest } = c.req.valid('query');
    const { rows, total } = await listTemplates(
      db,
      c.get('userId'),
      { ...rest, targetProviderType: target_provider_type, toscaDefinitionVersion: tosca_definition_version, createdBy: created_by },
      { ...pageWindow(page, size), sort: parseSort(sort) },
    );
    return c.json(pageEnvelope(c.req.url, settings.publicUrl, page, size, total, rows.map(toTemplateResponse)), 200);
  })
  .openapi(putRoute, async (c) => {
    const body = c.req.valid('json');
    const row = await updateTemplate(c.get('deps').db, c.get('identity'), c.get('userId'), c.req.valid('param').id, {
      name: body.name,
      version: body.version,
      targetProviderType: body.target_provider_type,
      toscaDefinitionVersion: body.tosca_definition_version,
    });
    return c.json(toTemplateDetail(row), 200);
  })
  .openapi(deleteRoute, async (c) => {
    await deleteTemplate(c.get('deps').db, c.get('identity'), c.get('userId'), c.req.valid('param').id);
    return c.body(null, 204);
  });
