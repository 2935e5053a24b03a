import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { addTemplate, breakDatabase, namedTemplate, sha256, sharedTemplate, unique } from './templates.fixtures.js';

let t: TestApp;
let alice: string;
let bob: string;
let aliceId: string;
let bobId: string;
const ids: Record<string, string> = {};
const contents: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ OIDC_ALLOWED_GROUPS: 'users' });
  alice = await t.token('tpl-read-alice');
  bob = await t.token('tpl-read-bob');
  aliceId = (await t.call('POST', '/api/v1/users', { token: alice })).body.id;
  bobId = (await t.call('POST', '/api/v1/users', { token: bob })).body.id;
  const seed: Array<[string, string, string | undefined]> = [
    ['a1', namedTemplate('alpha', '1.0'), undefined],
    ['a2', namedTemplate('alpha', '2.0'), undefined],
    ['b1', namedTemplate('beta', '1.0', '  target_provider_type: aws\n'), undefined],
    ['spark', unique(sharedTemplate('indigo-dc-tosca-types/examples/spark_mesos_cluster.yaml')), 'spark'],
  ];
  for (const [key, content, name] of seed) {
    contents[key] = content;
    ids[key] = await addTemplate(t, key === 'b1' ? bob : alice, { content, ...(name ? { name } : {}) });
  }
  // Spread creation times so sorting by date is deterministic.
  await t.database.db.execute(sql`update templates set created_at = now() - (interval '1 minute' * (
    case id when ${ids.a1}::uuid then 4 when ${ids.a2}::uuid then 3 when ${ids.b1}::uuid then 2 else 1 end))`);
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string, token = alice) => t.call('GET', path, { token });
const names = (res: { body: { data: Array<{ name: string; version: string | null }> } }) =>
  res.body.data.map((d) => `${d.name}@${d.version ?? '-'}`);

describe('GET /api/v1/templates/{id}', () => {
  it('returns every spec field and the warnings to any authenticated user', async () => {
    const res = await get(`/api/v1/templates/${ids.a1}`, bob);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: ids.a1,
      created_at: expect.any(String),
      created_by: aliceId,
      updated_at: expect.any(String),
      updated_by: aliceId,
      content: contents.a1,
      checksum: sha256(contents.a1),
      name: 'alpha',
      version: '1.0',
      target_provider_type: 'openstack',
      tosca_definition_version: 'tosca_simple_yaml_1_0',
      warnings: [],
    });
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    const missing = await get(`/api/v1/templates/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/^Template .* not found$/);
    const malformed = await get('/api/v1/templates/not-a-uuid');
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0].loc).toEqual(['param', 'id']);
  });

  it('answers 401 without a token and 403 outside the allowed groups', async () => {
    expect((await t.call('GET', `/api/v1/templates/${ids.a1}`)).status).toBe(401);
    expect((await get(`/api/v1/templates/${ids.a1}`, await t.token('tpl-read-guest', { groups: ['guests'] }))).status).toBe(403);
  });

  it('answers 500 when the database is unreachable', async () => {
    const restore = await breakDatabase(t);
    try {
      const res = await get(`/api/v1/templates/${ids.a1}`);
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|5432/);
    } finally {
      await restore();
    }
  });
});

describe('GET /api/v1/templates/{id}/inputs', () => {
  it('lists the declared inputs with types, defaults, constraints and secrecy', async () => {
    const res = await get(`/api/v1/templates/${ids.a1}/inputs`, bob);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      inputs: [
        { name: 'num_cpus', type: 'integer', default: 1, required: true, constraints: [{ valid_values: [1, 2, 4] }], secret: false },
        { name: 'admin_password', type: 'string', default: '*****', required: true, constraints: [], secret: true },
      ],
    });
  });

  it('describes the inputs of a real template', async () => {
    const res = await get(`/api/v1/templates/${ids.spark}/inputs`);
    expect(res.body.inputs).toHaveLength(23);
    expect(res.body.inputs.find((i: { name: string }) => i.name === 'slave_mem')).toMatchObject({ type: 'scalar-unit.size', default: '4 GB' });
    expect(res.body.inputs.find((i: { name: string }) => i.name === 'marathon_password')).toMatchObject({ required: true, secret: true });
  });

  it('answers 404 for an unknown template', async () => {
    expect((await get(`/api/v1/templates/${crypto.randomUUID()}/inputs`)).status).toBe(404);
  });
});

describe('GET /api/v1/templates', () => {
  it('pages through every template, newest first by default', async () => {
    const res = await get('/api/v1/templates?size=3');
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['spark@-', 'beta@1.0', 'alpha@2.0']);
    expect(res.body.page).toEqual({ size: 3, total_elements: 4, total_pages: 2, number: 1 });
    expect(res.body.links.next).toBe(`${t.url}/api/v1/templates?size=3&page=2`);
    const second = await get('/api/v1/templates?size=3&page=2');
    expect(names(second)).toEqual(['alpha@1.0']);
    expect(second.body.data[0]).toMatchObject({ id: ids.a1, content: contents.a1 });
  });

  it.each([
    ['name=alpha', ['alpha@2.0', 'alpha@1.0']],
    ['version=1.0', ['beta@1.0', 'alpha@1.0']],
    ['target_provider_type=aws', ['beta@1.0']],
    ['tosca_definition_version=tosca_simple_yaml_1_0&name=spark', ['spark@-']],
    ['tosca_definition_version=tosca_simple_yaml_1_3', []],
    ['created_by=me', ['spark@-', 'alpha@2.0', 'alpha@1.0']],
  ])('filters on %s', async (query, expected) => {
    expect(names(await get(`/api/v1/templates?${query}`))).toEqual(expected);
  });

  it('filters on creator and checksum', async () => {
    expect(names(await get(`/api/v1/templates?created_by=${bobId}`))).toEqual(['beta@1.0']);
    expect((await get(`/api/v1/templates?checksum=${sha256(contents.a2)}`)).body.data.map((d: { id: string }) => d.id)).toEqual([ids.a2]);
  });

  it('sorts on a field in either direction', async () => {
    const byName = await get('/api/v1/templates?sort=-name');
    expect(byName.body.data.map((d: { name: string }) => d.name)).toEqual(['spark', 'beta', 'alpha', 'alpha']);
    expect(names(await get('/api/v1/templates?sort=-version&name=alpha'))).toEqual(['alpha@2.0', 'alpha@1.0']);
    expect(names(await get('/api/v1/templates?sort=created_at'))).toEqual(['alpha@1.0', 'alpha@2.0', 'beta@1.0', 'spark@-']);
  });

  it('answers 422 for a bad sort, page or creator', async () => {
    const sort = await get('/api/v1/templates?sort=content');
    expect(sort.status).toBe(422);
    expect(sort.body.errors[0].loc).toEqual(['query', 'sort']);
    expect((await get('/api/v1/templates?page=0')).status).toBe(422);
    expect((await get('/api/v1/templates?size=1000')).status).toBe(422);
    expect((await get('/api/v1/templates?created_by=bob')).status).toBe(422);
  });

  it('answers 422 naming each parameter it does not know, with a bad sort in the same answer', async () => {
    const res = await get('/api/v1/templates?colour=red&size=5&shape=round&sort=content');
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { loc: string[] }) => e.loc)).toEqual(expect.arrayContaining([['query', 'colour'], ['query', 'shape'], ['query', 'sort']]));
    expect(res.body.errors).toHaveLength(3);
    const colour = res.body.errors.find((e: { loc: string[] }) => e.loc[1] === 'colour');
    expect(colour.msg).toMatch(/^unknown query parameter; known ones: page, size, sort, name, /);
    expect(res.body.detail).toMatch(/query\.colour: unknown query parameter/);
  });

  it('answers 401 without a token, 403 outside the allowed groups and 500 when the database is down', async () => {
    expect((await t.call('GET', '/api/v1/templates')).status).toBe(401);
    expect((await get('/api/v1/templates', await t.token('tpl-read-guest2', { groups: ['guests'] }))).status).toBe(403);
    const restore = await breakDatabase(t);
    try {
      expect((await get('/api/v1/templates')).status).toBe(500);
    } finally {
      await restore();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the template routes', async () => {
    const res = await t.call('GET', '/api/v1/openapi.json');
    expect(Object.keys(res.body.paths['/api/v1/templates']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(res.body.paths['/api/v1/templates/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(res.body.paths['/api/v1/templates/{id}/inputs'])).toEqual(['get']);
    expect(res.body.paths['/api/v1/templates'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['page', 'size', 'sort', 'name', 'version', 'target_provider_type', 'tosca_definition_version', 'created_by', 'checksum']),
    );
  });
});
