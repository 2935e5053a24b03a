import type { JsonSchema } from './schema-values.js';

/** One operation to fuzz: where it lives, what it reads from the path, query, headers and body. */
export interface Operation {
  surface: 'v1' | 'legacy';
  method: string;
  /** With `{name}` placeholders. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema }>;
  headers: Array<{ name: string; schema: JsonSchema }>;
  body?: JsonSchema;
  bodyRequired: boolean;
  /** Whether it answers 401 without a valid bearer token. */
  secured: boolean;
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every operation the OpenAPI document lists, with its parameters and JSON body schema. */
export function openApiOperations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = op.parameters ?? [];
      const where = (kind: string) => params.filter((p) => p.in === kind).map((p) => ({ name: p.name, schema: p.schema ?? {} }));
      return {
        surface: 'v1' as const,
        method: method.toUpperCase(),
        path,
        pathParams: where('path').map((p) => p.name),
        query: where('query'),
        headers: where('header'),
        body: op.requestBody?.content?.['application/json']?.schema,
        bodyRequired: op.requestBody?.required ?? false,
        secured: (op.security ?? []).length > 0,
      };
    }),
  );
}

/** `GET /a/:id` as the OpenAPI document spells it: `GET /a/{id}`. */
export const documentedForm = (route: string) => route.replace(/:(\w+)/g, '{$1}');

/**
 * Routes the app serves but does not document (an alias, the docs page): fuzzed on their path, headers and
 * query all the same, with nothing known about their parameters.
 */
export function undocumentedOperations(served: string[], documented: Operation[]): Operation[] {
  const known = new Set(documented.map((o) => `${o.method} ${o.path}`));
  return served
    .map(documentedForm)
    .filter((route) => !known.has(route))
    .map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return { surface: 'v1' as const, method, path, pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!), query: [], headers: [], bodyRequired: false, secured: !/^\/(docs|api\/v1\/openapi\.json)$/.test(path) };
    });
}

export const resolverOf = (doc: OpenApiDocument) => (ref: string): JsonSchema => {
  const name = ref.replace('#/components/schemas/', '');
  const schema = doc.components?.schemas?.[name];
  if (!schema) throw new Error(`The OpenAPI document has no schema ${ref}`);
  return schema;
};

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const paging = [
  { name: 'page', schema: int },
  { name: 'size', schema: { type: 'integer', minimum: 1, maximum: 2_000 } },
  { name: 'sort', schema: str },
];

const DeploymentRequest: JsonSchema = {
  type: 'object',
  required: ['template'],
  properties: {
    template: str,
    parameters: { type: 'object' },
    callback: { type: 'string', format: 'uri' },
    userGroup: str,
    maxProvidersRetry: { type: 'integer', minimum: 1 },
    timeoutMins: { type: 'integer', minimum: 1 },
    providerTimeoutMins: { type: 'integer', minimum: 1 },
    keepLastAttempt: { type: 'boolean' },
  },
};

const legacy = (method: string, path: string, o: Partial<Pick<Operation, 'query' | 'body'>> = {}): Operation => ({
  surface: 'legacy',
  method,
  path,
  pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  query: o.query ?? [],
  headers: [],
  body: o.body,
  bodyRequired: o.body !== undefined,
  secured: path !== '/info',
});

/** The INDIGO-compatible routes (src/routes/legacy) with the fields their handlers read. */
export const LEGACY_OPERATIONS: Operation[] = [
  legacy('GET', '/info'),
  legacy('GET', '/configuration'),
  legacy('GET', '/deployments', { query: [...paging, { name: 'createdBy', schema: str }, { name: 'userGroup', schema: str }, { name: 'excludedStatus', schema: str }] }),
  legacy('POST', '/deployments', { body: DeploymentRequest }),
  legacy('GET', '/deployments/{id}'),
  legacy('PUT', '/deployments/{id}', { body: DeploymentRequest }),
  legacy('PATCH', '/deployments/{id}', { body: { type: 'object', required: ['status'], properties: { status: { enum: ['DELETE_FAILED', 'create_failed', 'UPDATE_FAILED', 'CREATE_COMPLETE'] } } } }),
  legacy('DELETE', '/deployments/{id}', { query: [{ name: 'force', schema: { enum: ['true', 'TRUE', 'false', 'yes'] } }] }),
  legacy('GET', '/deployments/{id}/template'),
  legacy('GET', '/deployments/{id}/log'),
  legacy('GET', '/deployments/{id}/extrainfo'),
  legacy('GET', '/deployments/{id}/resources', { query: [...paging, { name: 'type', schema: str }] }),
  legacy('GET', '/deployments/{id}/resources/{rid}'),
  legacy('POST', '/deployments/{id}/resources/{rid}/actions', { body: { type: 'object', required: ['type'], properties: { type: { enum: ['start', 'stop', ' STOP ', 'reboot'] } } } }),
];
