import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { HealthProbe } from '../../app-deps.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';

const Connection = z.enum(['healthy', 'unhealthy']);

export const HealthSchema = z
  .object({
    status: Connection,
    db_connection: Connection,
    redis_connection: Connection.openapi({ description: 'The queue backend (takes the place of kafka_connection)' }),
    opa_connection: Connection.optional(),
    vault_connection: Connection.optional(),
    timestamp: z.string(),
    details: z.string().optional().openapi({ description: 'Present only when unhealthy' }),
  })
  .openapi('Health');

const PROBE_TIMEOUT_MS = 2000;

async function probe(name: string, check: HealthProbe): Promise<{ name: string; error?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { name };
  } catch (err) {
    return { name, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  operationId: 'getHealth',
  summary: 'Service health (no authentication)',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: HealthSchema } } },
    500: { description: 'Unhealthy: `details` says why', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Shutting down: this replica drains its requests and takes no new work', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const { health, now } = c.get('deps');
  const checks: Array<[string, HealthProbe]> = [
    ['db', health.db],
    ['redis', health.redis],
  ];
  if (health.opa) checks.push(['opa', health.opa]);
  if (health.vault) checks.push(['vault', health.vault]);
  const results = await Promise.all(checks.map(([name, check]) => probe(name, check)));
  const state = (name: string) => (results.find((r) => r.name === name)?.error ? 'unhealthy' : 'healthy');
  const failures: Array<{ name: string; error?: string }> = results.filter((r) => r.error);
  const draining = health.draining?.() ?? false;
  if (draining) failures.push({ name: 'process', error: 'shutting down' });
  const body: z.infer<typeof HealthSchema> = {
    status: failures.length ? 'unhealthy' : 'healthy',
    db_connection: state('db'),
    redis_connection: state('redis'),
    ...(health.opa ? { opa_connection: state('opa') } : {}),
    ...(health.vault ? { vault_connection: state('vault') } : {}),
    timestamp: (now?.() ?? new Date()).toISOString(),
    ...(failures.length ? { details: failures.map((f) => `${f.name}: ${f.error}`).join('; ') } : {}),
  };
  c.header('Cache-Control', 'no-store');
  if (draining) return c.json(body, 503);
  return failures.length ? c.json(body, 500) : c.json(body, 200);
});
