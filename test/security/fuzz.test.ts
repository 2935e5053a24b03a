import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleNodeTemplate } from '../im/templates.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { changedTables, snapshotDatabase } from './db-snapshot.js';
import { createFuzzFixtures, type FuzzFixtures } from './fuzz-fixtures.js';
import { createApp } from '../../src/app.js';
import { legacyApp } from '../../src/routes/legacy/index.js';
import { documentedForm, LEGACY_OPERATIONS, openApiOperations, resolverOf, undocumentedOperations, type OpenApiDocument, type Operation } from './fuzz-operations.js';
import { requestsFor, type FuzzContext, type FuzzRequest } from './fuzz-requests.js';
import { badAuthorizations, edgeBodies, MALFORMED_BODIES, NON_JSON_TYPES, QUERY_EDGE_VALUES, requestOf } from './hostile-catalogue.js';
import { FIXED_BAD_TEMPLATES } from './hostile-templates.js';
import { sendWithDeadline, type FuzzAnswer } from './send-with-deadline.js';

/** Raise with FUZZ_RUNS=20000 for a longer hunt; the default keeps this file around a minute on a loaded machine. */
const RUNS = Math.max(1_000, Number(process.env.FUZZ_RUNS ?? 0) || 0);
const DEADLINE_MS = 5_000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let t: TestApp;
let fixtures: FuzzFixtures;
let ctx: FuzzContext;
let v1: Operation[];
let all: Operation[];
/** Answers per operation to generated requests: proof they got past authentication into the handlers. */
const fuzzAnswers = new Map<string, Set<number>>();

beforeAll(async () => {
  // The budgets would answer 429 long before the fuzzer reaches validation; the limiter has its own tests.
  t = await createTestApp({ RATE_LIMIT_READS_PER_MIN: '0', RATE_LIMIT_WRITES_PER_MIN: '0', RATE_LIMIT_ANON_PER_MIN: '0' });
  fixtures = await createFuzzFixtures(t);
  const doc = (await t.call('GET', '/api/v1/openapi.json')).body as OpenApiDocument;
  const documented = openApiOperations(doc);
  v1 = [...documented, ...undocumentedOperations(routesOf(createApp(t.deps)), documented)];
  all = [...v1, ...LEGACY_OPERATIONS];
  ctx = { known: fixtures, tokens: fixtures.tokens, resolve: resolverOf(doc) };
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** `METHOD path` of every route a Hono app answers (middleware, registered for ALL methods, left out). */
const routesOf = (app: { routes: Array<{ method: string; path: string }> }) => [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];

/** The surface that answers a path once the client has resolved it (`%2e%2e` climbs out of the legacy routes). */
const answeredByLegacy = (target: string) => /^\/+(info|configuration|deployments)(\/|$)/.test(new URL(`${t.url}${target}`).pathname);

/** The error body a client can act on: v1 `{status, detail}`, legacy `{code, title, message}`. */
function expectClearError(req: FuzzRequest, res: FuzzAnswer, what: string): void {
  // Node's HTTP parser answers an oversized head itself, before any route runs, with an empty body.
  if (res.status === 431) return;
  expect(res.contentType, `${what} -> ${res.status} ${res.text.slice(0, 200)}`).toContain('json');
  const body = JSON.parse(res.text);
  if (answeredByLegacy(req.target)) expect(body, what).toMatchObject({ code: res.status, title: expect.any(String), message: expect.any(String) });
  else expect(body, what).toMatchObject({ status: res.status, detail: expect.any(String) });
}

/** The last errors the server logged: the cause of a 500, for the failure message. */
const loggedErrors = () =>
  t.logger.entries
    .filter((e) => e.level === 'error')
    .slice(-2)
    .map((e) => JSON.stringify(e.obj).slice(0, 1_500))
    .join('\n');

/** The request in a failure message, each part cut short (some are megabytes). */
function describeRequest(req: FuzzRequest): string {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v]));
  const body = req.body === undefined ? '' : ` body(${req.body.length}): ${req.body.slice(0, 300)}`;
  return `${req.operation}: ${req.method} ${req.target.slice(0, 300)} ${JSON.stringify(headers)}${body}`;
}

/** One request with every invariant: an answer in time, no 5xx, a readable 4xx, and a refused write that wrote nothing. */
async function checkOne(req: FuzzRequest): Promise<FuzzAnswer> {
  const isWrite = WRITES.has(req.method);
  const before = isWrite ? await snapshotDatabase(t.database.db) : undefined;
  const res = await sendWithDeadline(t.url, req, DEADLINE_MS);
  const what = describeRequest(req);
  expect(res.status, `${what} -> ${res.text.slice(0, 300)} ${res.status >= 500 ? loggedErrors() : ''}`).toBeLessThan(500);
  if (res.status >= 400 && req.method !== 'HEAD') expectClearError(req, res, what);
  if (isWrite && res.status >= 400) expect(changedTables(before!, await snapshotDatabase(t.database.db)), `a refused ${what} changed rows`).toEqual([]);
  // An accepted write may have deleted a fixture: bring it back so later requests still aim at something real.
  if (isWrite && res.status < 400) await fixtures.restore();
  return res;
}

const fuzz = (ops: Operation[], runs: number) =>
  fc.assert(
    fc.asyncProperty(fc.oneof(...ops.map((op) => requestsFor(op, ctx))), async (req) => {
      const res = await checkOne(req);
      fuzzAnswers.set(req.operation, (fuzzAnswers.get(req.operation) ?? new Set()).add(res.status));
    }),
    { numRuns: runs, endOnFailure: true },
  );

/** The path of an operation aimed at the fixtures: the user, template, deployment or resource each parameter names. */
function fixturePath(op: Operation): string {
  const [userId, , templateId, deploymentId, resourceId] = fixtures.ids;
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'user_id' || (name === 'id' && op.path.includes('/users/'))) return userId!;
    if (name === 'id' && op.path.includes('/templates/')) return templateId!;
    if (name === 'rid' || (name === 'id' && op.path.includes('/resources/'))) return resourceId!;
    return deploymentId!;
  });
}

/** An otherwise valid body, so one hostile field is the only thing wrong with it. */
function validBase(op: Operation): Record<string, unknown> {
  const template = singleNodeTemplate();
  switch (`${op.method} ${op.path}`) {
    case 'POST /api/v1/deployments':
      return { template_id: fixtures.ids[2] };
    case 'PUT /api/v1/templates/{id}':
      return { name: 'fuzz-renamed' };
    case 'POST /api/v1/deployments/{id}/owners':
      return { id: fixtures.ids[1] };
    case 'POST /deployments':
    case 'PUT /deployments/{id}':
      return { template };
    default:
      return {};
  }
}

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

describe('fuzzing the HTTP API', () => {
  it('walks every operation of the OpenAPI document, every other route of the app and every legacy route', () => {
    expect(v1.filter((o) => o.body).map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/templates', 'POST /api/v1/deployments', 'PATCH /api/v1/users/{id}', 'PUT /api/v1/templates/{id}']),
    );
    expect(v1.map((o) => `${o.method} ${o.path}`).sort()).toEqual(routesOf(createApp(t.deps)).map(documentedForm).sort());
    expect(LEGACY_OPERATIONS.map((o) => `${o.method} ${o.path}`).sort()).toEqual(routesOf(legacyApp(t.deps)).map(documentedForm).sort());
  });

  // As an admin: one passes every access check, so each value reaches every validation and query (users go through the fuzzing below).
  it('puts every edge value in every field of every body: no 5xx, and a refusal writes nothing', async () => {
    for (const op of all.filter((o) => o.body)) {
      for (const { body } of edgeBodies(op, validBase(op))) await checkOne(requestOf(op, fixturePath(op), json(fixtures.tokens.admin), body));
    }
  }, 300_000);

  it('puts every edge value in every query parameter of every operation', async () => {
    for (const op of all.filter((o) => o.query.length)) {
      for (const { name } of op.query) {
        for (const value of QUERY_EDGE_VALUES) {
          await checkOne(requestOf(op, `${fixturePath(op)}?${new URLSearchParams([[name, value]])}`, { authorization: `Bearer ${fixtures.tokens.admin}` }));
        }
      }
    }
  }, 300_000);

  it('refuses bodies that are not a JSON object, and JSON sent as another type, on every operation that needs a body', async () => {
    for (const op of all.filter((o) => o.body && o.bodyRequired)) {
      for (const body of MALFORMED_BODIES) {
        const res = await checkOne(requestOf(op, fixturePath(op), json(fixtures.tokens.admin), body));
        expect(res.status, `${op.method} ${op.path} with ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      }
      for (const type of NON_JSON_TYPES) {
        const headers = { authorization: `Bearer ${fixtures.tokens.admin}`, 'content-type': type };
        const res = await checkOne(requestOf(op, fixturePath(op), headers, JSON.stringify(validBase(op))));
        expect(res.status, `${op.method} ${op.path} as ${type}`).toBeGreaterThanOrEqual(400);
      }
    }
  }, 300_000);

  it('survives every invalid or hostile TOSCA template, stored directly or inline in a legacy deployment', async () => {
    const templates = v1.find((o) => o.method === 'POST' && o.path === '/api/v1/templates')!;
    const legacyCreate = LEGACY_OPERATIONS.find((o) => o.method === 'POST' && o.path === '/deployments')!;
    for (const content of FIXED_BAD_TEMPLATES) {
      await checkOne(requestOf(templates, templates.path, json(fixtures.tokens.user), JSON.stringify({ content, name: 'hostile' })));
      await checkOne(requestOf(legacyCreate, legacyCreate.path, json(fixtures.tokens.user), JSON.stringify({ template: content })));
    }
  }, 300_000);

  it('answers 401 to every malformed or forged Authorization on every protected operation, and serves the open ones', async () => {
    const expired = await t.token('fuzz-user', { groups: ['users', 'physics'], expiresInSec: -60 });
    for (const op of all) {
      for (const authorization of badAuthorizations(fixtures.tokens.user, expired)) {
        const headers: Record<string, string> = { authorization, ...(op.body ? { 'content-type': 'application/json' } : {}) };
        const res = await checkOne(requestOf(op, fixturePath(op), headers, op.body ? JSON.stringify(validBase(op)) : undefined));
        expect(res.status, `${op.method} ${op.path} with ${authorization.slice(0, 60)}`).toBe(op.secured ? 401 : 200);
      }
    }
  }, 300_000);

  it('answers other methods and doubled or trailing slashes on every path without a 5xx', async () => {
    for (const op of all) {
      const path = fixturePath(op);
      for (const method of ['OPTIONS', 'HEAD', 'PROPFIND', 'PUT', 'DELETE']) {
        for (const target of [path, `${path}/`, `/${path}`, path.replace(/\//g, '//')]) {
          await checkOne({ method, target, headers: { authorization: `Bearer ${fixtures.tokens.user}` }, operation: `${method} ${op.path}` });
        }
      }
    }
  }, 300_000);

  it('refuses a bad Idempotency-Key with 422 and stores nothing', async () => {
    const op = v1.find((o) => o.method === 'POST' && o.path === '/api/v1/deployments')!;
    for (const key of ['', 'k'.repeat(256)]) {
      const res = await checkOne(requestOf(op, op.path, { ...json(fixtures.tokens.user), 'idempotency-key': key }, JSON.stringify(validBase(op))));
      expect(res.status, `Idempotency-Key of ${key.length} characters`).toBe(422);
    }
  });

  it('answers generated v1 requests in time, never with a 5xx, and writes nothing when it refuses', async () => {
    await fuzz(v1, RUNS);
  }, 600_000);

  it('does the same on the legacy INDIGO routes', async () => {
    await fuzz(LEGACY_OPERATIONS, Math.ceil(RUNS / 2));
  }, 600_000);

  it('got past authentication into every operation', () => {
    for (const op of all) {
      const seen = [...(fuzzAnswers.get(`${op.method} ${op.path}`) ?? [])];
      expect(seen.filter((s) => s !== 401 && s !== 431), `${op.method} ${op.path} only answered ${seen.join(', ')}`).not.toEqual([]);
    }
  });

  it('is still healthy afterwards', async () => {
    const res = await t.call('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('healthy');
  });
});
