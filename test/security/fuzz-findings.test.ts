import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_DEPTH } from '../../src/services/deployments/create-deployment.js';
import { singleNodeTemplate } from '../im/templates.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Each case is one the fuzzer (fuzz.test.ts) found answering 500 or leaving a row behind; here with its exact answer.
let t: TestApp;
let alice: string;
let root: string;
let templateId: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token('findings-alice', { groups: ['users', 'physics'] });
  root = await t.token('findings-root', { groups: ['admins'] });
  const res = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: singleNodeTemplate(), name: 'findings' } });
  expect(res.status).toBe(201);
  templateId = res.body.id;
});
afterAll(async () => {
  await t?.close();
});

const count = async (table: 'deployments' | 'templates') =>
  ((await t.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as unknown as Array<{ n: number }>)[0]!.n;

/** Raw JSON text: `JSON.stringify` would not write a lone surrogate escape as the client sent it. */
const post = (path: string, token: string, body: string) => t.call('POST', path, { token, body, headers: { 'content-type': 'application/json' } });

describe('what the fuzzer found', () => {
  it('refuses template inputs holding half a surrogate pair with 422 (jsonb cannot store it)', async () => {
    const res = await post('/api/v1/deployments', alice, `{"template_id":"${templateId}","template_inputs":{"admin_password":"\\ud800"}}`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ loc: ['body', 'template_inputs'], msg: 'contains an unpaired surrogate' }]);
    expect(await count('deployments')).toBe(0);
  });

  it('refuses a template whose YAML escapes a lone surrogate with 422', async () => {
    // The YAML escape, not the character: the request itself is plain ASCII.
    const content = singleNodeTemplate().replace('  inputs:\n', '  inputs:\n    label:\n      type: string\n      default: "\\ud800"\n');
    expect(content).toContain('default: "\\ud800"');
    const res = await t.call('POST', '/api/v1/templates', { token: alice, json: { content, name: 'surrogate' } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ loc: ['body', 'content'], msg: 'must not contain unpaired surrogates' }]);
  });

  it(`refuses template inputs nested deeper than ${MAX_INPUT_DEPTH} levels with 422, on create (v1 and legacy) and update`, async () => {
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const create = await post('/api/v1/deployments', alice, `{"template_id":"${templateId}","template_inputs":{"vm_count":${deep}}}`);
    expect(create.status).toBe(422);
    expect(create.body.errors).toEqual([{ loc: ['body', 'template_inputs'], msg: `must nest at most ${MAX_INPUT_DEPTH} levels deep` }]);
    const legacy = await post('/deployments', alice, JSON.stringify({ template: singleNodeTemplate() }).replace(/}$/, `,"parameters":{"vm_count":${deep}}}`));
    expect(legacy.status).toBe(400);
    expect(legacy.body.message).toContain(`nest deeper than ${MAX_INPUT_DEPTH} levels`);
    expect(await count('deployments')).toBe(0);

    const created = await t.call('POST', '/api/v1/deployments', { token: alice, json: { template_id: templateId } });
    // Out of CREATE_IN_PROGRESS, so the update reaches its input checks.
    expect((await t.call('POST', `/api/v1/deployments/${created.body.id}/reset-status`, { token: alice })).status).toBe(202);
    const update = await t.call('PATCH', `/api/v1/deployments/${created.body.id}`, { token: alice, body: `{"template_inputs":{"vm_count":${deep}}}`, headers: { 'content-type': 'application/json' } });
    expect(update.status).toBe(422);
    expect(update.body.errors[0].msg).toBe(`must nest at most ${MAX_INPUT_DEPTH} levels deep`);
    expect((await t.call('GET', `/api/v1/deployments/${created.body.id}`, { token: alice })).body).toMatchObject({ status_name: 'CREATE_FAILED', template_inputs: {} });
  });

  it('refuses a YAML merge key of something other than a map with 422', async () => {
    const res = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: 'tosca_definitions_version: tosca_simple_yaml_1_0\nmetadata:\n  <<: *nowhere\n', name: 'merge' } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/merge/i);
  });

  it('leaves no template behind when a legacy deployment with an inline template is refused', async () => {
    const templates = await count('templates');
    const content = `${singleNodeTemplate()}# refused ${crypto.randomUUID()}\n`;
    const res = await t.call('POST', '/deployments', { token: alice, json: { template: content, parameters: { vm_count: 'many' } } });
    expect(res.status).toBe(400);
    expect(await count('templates')).toBe(templates);
    const accepted = await t.call('POST', '/deployments', { token: alice, json: { template: content } });
    expect(accepted.status).toBe(201);
    expect(await count('templates')).toBe(templates + 1);
  });

  it('answers 400 to a NUL character in a legacy filter or group, naming it', async () => {
    const list = await t.call('GET', '/deployments?userGroup=%00', { token: root });
    expect(list.status).toBe(400);
    expect(list.body.message).toBe('Query parameter userGroup must not contain NUL characters');
    const create = await t.call('POST', '/deployments', { token: root, json: { template: singleNodeTemplate(), userGroup: 'a\u0000b' } });
    expect(create.status).toBe(400);
    expect(create.body.message).toBe('userGroup: userGroup must not contain NUL characters');
  });

  it('answers 401 to a legacy access_token no header can carry', async () => {
    const res = await t.call('GET', `/deployments?access_token=${encodeURIComponent('tok\u{1F680}en')}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(401);
  });

  it('keeps the HTTP code in the status of a 409 body and names the deployment status apart', async () => {
    const created = await t.call('POST', '/api/v1/deployments', { token: alice, json: { template_id: templateId } });
    expect(created.status).toBe(202);
    expect((await t.call('POST', `/api/v1/deployments/${created.body.id}/reset-status`, { token: alice })).status).toBe(202);
    const again = await t.call('POST', `/api/v1/deployments/${created.body.id}/reset-status`, { token: alice });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, current_status: 'CREATE_FAILED', allowed: expect.arrayContaining(['CREATE_IN_PROGRESS']) });
  });
});
