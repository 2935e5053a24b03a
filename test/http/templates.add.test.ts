import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { addTemplate, namedTemplate, sha256, sharedTemplate, unique } from './templates.fixtures.js';

let t: TestApp;
let alice: string;

beforeAll(async () => {
  t = await createTestApp({ OIDC_ALLOWED_GROUPS: 'users' });
  alice = await t.token('tpl-add-alice');
});
afterAll(async () => {
  await t?.close();
});

const post = (json: unknown, token = alice) => t.call('POST', '/api/v1/templates', { token, json });

describe('POST /api/v1/templates', () => {
  it('stores a real template named in the request and answers 201 with its id and Location', async () => {
    const content = unique(sharedTemplate('indigo-dc-tosca-types/examples/mesos_cluster.yaml'));
    const res = await post({ content, name: 'mesos-cluster' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${t.url}/api/v1/templates/${res.body.id}`);
    const [row] = await t.database.db.select().from(templates).where(eq(templates.id, res.body.id));
    const aliceId = (await t.call('GET', '/api/v1/users', { token: alice })).body.data[0].id;
    expect(row).toMatchObject({
      content,
      checksum: sha256(content),
      name: 'mesos-cluster',
      version: null,
      targetProviderType: 'openstack',
      toscaDefinitionVersion: 'tosca_simple_yaml_1_0',
      createdBy: aliceId,
      updatedBy: aliceId,
    });
    expect(row.summary).toMatchObject({
      deployment_type: 'TOSCA',
      outputs: ['mesos_lb_ips', 'mesos_master_ips', 'mesos_endpoint', 'marathon_endpoint', 'chronos_endpoint'],
    });
    expect((row.summary as { resources: unknown[] }).resources).toContainEqual({
      name: 'mesos_slave_server',
      type: 'tosca.nodes.indigo.Compute',
      ancestry: ['tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root'],
      required_by: ['mesos_slave'],
      is_compute: true,
      count: 3,
    });
  });

  it('takes name, version and provider type from the template metadata', async () => {
    const content = namedTemplate('single-vm', '1.2.0', '  target_provider_type: aws\n');
    const id = await addTemplate(t, alice, { content });
    const res = await t.call('GET', `/api/v1/templates/${id}`, { token: alice });
    expect(res.body).toMatchObject({ name: 'single-vm', version: '1.2.0', target_provider_type: 'aws', tosca_definition_version: 'tosca_simple_yaml_1_0' });
  });

  it('answers 422 when the name is given both in the metadata and in the request', async () => {
    const res = await post({ content: namedTemplate('both-names'), name: 'other' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe('Give the template name either in metadata.template_name or in the request name, not both');
    expect(res.body.errors).toEqual([{ loc: ['body', 'name'], msg: 'the template already names itself "both-names" in metadata.template_name' }]);
  });

  it('answers 422 when the name is given neither in the metadata nor in the request', async () => {
    const res = await post({ content: unique(sharedTemplate('indigo-dc-tosca-types/examples/ambertools.yaml')) });
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe('The template has no metadata.template_name; give a name in the request');
  });

  it('answers 409 with the existing id when the same content is added again, by anyone', async () => {
    const content = unique(sharedTemplate('indigo-dc-tosca-types/examples/ambertools.yaml'));
    const id = await addTemplate(t, alice, { content, name: 'ambertools' });
    const res = await post({ content, name: 'ambertools-again' }, await t.token('tpl-add-bob'));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ status: 409, detail: `A template with the same content already exists: ${id}`, id });
    expect(await t.database.db.select().from(templates).where(eq(templates.checksum, sha256(content)))).toHaveLength(1);
  });

  it('stores concurrent uploads of the same content once; the others get 409 naming it', async () => {
    const content = unique(sharedTemplate('indigo-dc-tosca-types/examples/powerfit.yaml'));
    const results = await Promise.all(Array.from({ length: 5 }, () => post({ content, name: 'powerfit' })));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.id)).toEqual(Array(4).fill(created[0].body.id));
  });

  it('answers 409 when another template has the same name and version', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('versioned', '2.0') });
    const res = await post({ content: namedTemplate('versioned', '2.0') });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ id, detail: `Template versioned version 2.0 already exists: ${id}` });
    await addTemplate(t, alice, { content: namedTemplate('versioned', '2.1') });
  });

  it('answers 422 with the parse errors, path and line, for invalid TOSCA', async () => {
    const res = await post({ content: sharedTemplate('infn-orchestrator-tests/galaxy_tosca_clues_error.yaml'), name: 'typo' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        loc: ['body', 'content', 'topology_template.node_templates.torque_wn.type'],
        msg: 'node template torque_wn has an unknown node type tosca.nodes.indigo.Comput (line 56)',
      },
    ]);
    expect(res.body.detail).toMatch(/^The template is not valid TOSCA: node template torque_wn has an unknown node type/);
  });

  it('answers 422 for content that is not YAML, and for a missing content', async () => {
    const notYaml = await post({ content: sharedTemplate('infn-orchestrator-tests/chronos_tosca_generator.yaml'), name: 'generator' });
    expect(notYaml.status).toBe(422);
    expect(notYaml.body.errors[0].msg).toMatch(/^the template is not valid YAML: .* \(line 25\)$/);
    const missing = await post({ name: 'nothing' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].loc).toEqual(['json', 'content']);
    const extra = await post({ content: namedTemplate('extra'), version: '1' });
    expect(extra.status).toBe(422);
  });

  it('answers 422 to NUL characters, raw or from a YAML escape, and stores nothing', async () => {
    const before = await t.database.db.$count(templates);
    const raw = await post({ content: `${namedTemplate('nul-raw')}# a comment \u0000 here\n` });
    expect(raw.status).toBe(422);
    expect(raw.body.errors[0]).toEqual({ loc: ['json', 'content'], msg: 'must not contain NUL characters' });
    const inName = await post({ content: namedTemplate('plain').replace(/  template_name: .*\n/, ''), name: 'a\u0000b' });
    expect(inName.status).toBe(422);
    expect(inName.body.errors[0]).toEqual({ loc: ['json', 'name'], msg: 'must not contain NUL characters' });
    const escaped = namedTemplate('x').replace(/template_name: .*/, 'template_name: "nul\\0name"');
    expect(escaped).toContain('"nul\\0name"');
    const fromYaml = await post({ content: escaped });
    expect(fromYaml.status).toBe(422);
    expect(fromYaml.body.detail).toMatch(/NUL character/);
    expect(await t.database.db.$count(templates)).toBe(before);
  });

  it('answers 400 on malformed JSON', async () => {
    const res = await t.call('POST', '/api/v1/templates', { token: alice, body: '{"content": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 400, detail: 'Malformed JSON in request body' });
  });

  it('answers 401 without a token and 403 for a user outside the allowed groups', async () => {
    expect((await t.call('POST', '/api/v1/templates', { json: { content: namedTemplate('anon') } })).status).toBe(401);
    const outsider = await t.token('tpl-add-guest', { groups: ['guests'] });
    const res = await post({ content: namedTemplate('guest') }, outsider);
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('Access is restricted to members of: users');
  });

  it('answers 500 with a request id, storing nothing, when the TOSCA engine fails unexpectedly', async () => {
    const original = t.deps.tosca;
    t.deps.tosca = { parse: async () => Promise.reject(new Error('engine exploded at /srv/types')) };
    try {
      const content = namedTemplate('boom');
      const res = await post({ content });
      expect(res.status).toBe(500);
      expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
      expect(JSON.stringify(res.body)).not.toContain('/srv/types');
      expect(await t.database.db.select().from(templates).where(eq(templates.checksum, sha256(content)))).toEqual([]);
    } finally {
      t.deps.tosca = original;
    }
  });

  it('accepts every template of the shared data set over HTTP, except the two malformed ones', async () => {
    const { manifest } = await import('../unit/tosca/fixtures.js');
    const statuses: Record<string, number> = {};
    for (const m of manifest.templates) {
      const res = await post({ content: unique(sharedTemplate(m.file.replace(/^templates\//, ''))), name: m.file });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const malformed = m.tags.includes('YAML_SYNTAX_ERROR') || m.tags.includes('UNKNOWN_NODE_TYPE');
      expect(res.status, `${m.file}: ${JSON.stringify(res.body)}`).toBe(malformed ? 422 : 201);
    }
    expect(statuses).toEqual({ 201: 124, 422: 2 });
  });
});
