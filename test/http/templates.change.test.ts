import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, templates } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { addTemplate, breakDatabase, namedTemplate } from './templates.fixtures.js';

let t: TestApp;
let alice: string;
let bob: string;
let admin: string;
let bobId: string;
let adminId: string;

beforeAll(async () => {
  t = await createTestApp({ OIDC_ALLOWED_GROUPS: 'users' });
  alice = await t.token('tpl-change-alice');
  bob = await t.token('tpl-change-bob');
  admin = await t.token('tpl-change-admin', { groups: ['admins'] });
  bobId = (await t.call('POST', '/api/v1/users', { token: bob })).body.id;
  adminId = (await t.call('POST', '/api/v1/users', { token: admin })).body.id;
});
afterAll(async () => {
  await t?.close();
});

const put = (id: string, json: unknown, token = alice) => t.call('PUT', `/api/v1/templates/${id}`, { token, json });
const del = (id: string, token = alice) => t.call('DELETE', `/api/v1/templates/${id}`, { token });
const row = async (id: string) => (await t.database.db.select().from(templates).where(eq(templates.id, id)))[0];

describe('PUT /api/v1/templates/{id}', () => {
  it('changes the metadata, never the content, and answers 200 with the template as GET shows it', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('put-meta', '1.0') });
    const before = await row(id);
    const res = await put(id, { name: 'renamed', version: '1.1', target_provider_type: 'aws', tosca_definition_version: 'tosca_simple_yaml_1_2' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual((await t.call('GET', `/api/v1/templates/${id}`, { token: alice })).body);
    expect(res.body).toMatchObject({ id, name: 'renamed', version: '1.1', content: before.content, warnings: [] });
    const after = await row(id);
    expect(after).toMatchObject({
      name: 'renamed',
      version: '1.1',
      targetProviderType: 'aws',
      toscaDefinitionVersion: 'tosca_simple_yaml_1_2',
      content: before.content,
      checksum: before.checksum,
    });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  it('keeps the fields it is not given and clears the version when given null', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('put-partial', '3.0', '  target_provider_type: aws\n') });
    expect((await put(id, { name: 'put-partial-2' })).status).toBe(200);
    expect(await row(id)).toMatchObject({ name: 'put-partial-2', version: '3.0', targetProviderType: 'aws' });
    expect((await put(id, { name: 'put-partial-2', version: null })).body).toMatchObject({ name: 'put-partial-2', version: null });
    expect((await row(id)).version).toBeNull();
  });

  it('lets an admin change anyone’s template, recording who did', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('put-admin') });
    expect((await put(id, { name: 'by-admin' }, admin)).body).toMatchObject({ name: 'by-admin', updated_by: adminId });
    expect(await row(id)).toMatchObject({ name: 'by-admin', updatedBy: adminId });
  });

  it('answers 403 to another user and changes nothing', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('put-forbidden') });
    const res = await put(id, { name: 'stolen' }, bob);
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('Only the creator of a template or an admin may change or delete it');
    expect((await row(id)).name).toBe('put-forbidden');
  });

  it('answers 409 when the new name and version belong to another template', async () => {
    const taken = await addTemplate(t, alice, { content: namedTemplate('put-taken', '1.0') });
    const id = await addTemplate(t, alice, { content: namedTemplate('put-free', '1.0') });
    const res = await put(id, { name: 'put-taken' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, id: taken });
    expect((await row(id)).name).toBe('put-free');
  });

  it('answers 422 for a missing name, unknown fields or a bad TOSCA version; 400 for malformed JSON', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('put-invalid') });
    const noName = await put(id, { version: '1' });
    expect(noName.status).toBe(422);
    expect(noName.body.errors.map((e: { loc: string[] }) => e.loc)).toEqual([['json', 'name']]);
    expect((await put(id, { name: 'x', content: 'tosca_definitions_version: x' })).status).toBe(422);
    expect((await put(id, { name: 'x', tosca_definition_version: 'yaml_2' })).status).toBe(422);
    expect((await put(id, { name: '  ' })).status).toBe(422);
    const bad = await t.call('PUT', `/api/v1/templates/${id}`, { token: alice, body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect((await row(id)).name).toBe('put-invalid');
  });

  it('answers 404 for an unknown template, 401 without a token, 403 outside the groups, 500 when the database is down', async () => {
    expect((await put(crypto.randomUUID(), { name: 'x' })).status).toBe(404);
    const id = await addTemplate(t, alice, { content: namedTemplate('put-auth') });
    expect((await t.call('PUT', `/api/v1/templates/${id}`, { json: { name: 'x' } })).status).toBe(401);
    expect((await put(id, { name: 'x' }, await t.token('tpl-change-guest', { groups: ['guests'] }))).status).toBe(403);
    const restore = await breakDatabase(t);
    try {
      expect((await put(id, { name: 'x' })).status).toBe(500);
    } finally {
      await restore();
    }
  });
});

describe('DELETE /api/v1/templates/{id}', () => {
  it('deletes an unused template and answers 204; it is gone afterwards', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('del-ok') });
    expect((await del(id)).status).toBe(204);
    expect(await row(id)).toBeUndefined();
    expect((await t.call('GET', `/api/v1/templates/${id}`, { token: alice })).status).toBe(404);
    expect((await del(id)).status).toBe(404);
  });

  it('answers 409 while a deployment uses the template, and deletes it once none does', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('del-in-use') });
    const deploymentId = crypto.randomUUID();
    await t.database.db.insert(deployments).values({ id: deploymentId, templateId: id, status: 0, createdBy: bobId });
    const res = await del(id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      status: 409,
      detail: `Template ${id} is used by 1 deployment(s); delete them first`,
      deployments: 1,
    });
    expect(await row(id)).toBeDefined();
    await t.database.db.delete(deployments).where(eq(deployments.id, deploymentId));
    expect((await del(id)).status).toBe(204);
  });

  it('lets an admin delete anyone’s template but not another user', async () => {
    const a = await addTemplate(t, alice, { content: namedTemplate('del-admin') });
    const b = await addTemplate(t, alice, { content: namedTemplate('del-forbidden') });
    expect((await del(a, admin)).status).toBe(204);
    const res = await del(b, bob);
    expect(res.status).toBe(403);
    expect(await row(b)).toBeDefined();
  });

  it('answers 401 without a token and 422 for a malformed id', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('del-auth') });
    expect((await t.call('DELETE', `/api/v1/templates/${id}`)).status).toBe(401);
    expect((await del('nope')).status).toBe(422);
    expect(await row(id)).toBeDefined();
  });
});
