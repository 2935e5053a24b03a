import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { addTemplate, namedTemplate } from './templates.fixtures.js';

let t: TestApp;
let alice: string;

beforeAll(async () => {
  t = await createTestApp({ OIDC_ALLOWED_GROUPS: 'users' });
  alice = await t.token('tpl-warn-alice');
});
afterAll(async () => {
  await t?.close();
});

const get = (id: string) => t.call('GET', `/api/v1/templates/${id}`, { token: alice });
const put = (id: string, json: unknown) => t.call('PUT', `/api/v1/templates/${id}`, { token: alice, json });

/** Valid TOSCA the engine accepts leniently: an unexpected top-level key (line 6) and an undeclared property (line 12). */
function warnedTemplate(name: string): string {
  return `tosca_definitions_version: tosca_simple_yaml_1_0
metadata:
  template_name: ${name}
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
colour: blue
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      properties:
        flavour: large
# ${crypto.randomUUID()}
`;
}

const WARNINGS = [
  { loc: ['body', 'content', 'colour'], msg: 'unexpected top-level key colour (line 6)' },
  {
    loc: ['body', 'content', 'topology_template.node_templates.vm.properties.flavour'],
    msg: 'node template vm sets flavour, which tosca.nodes.indigo.Compute does not declare (line 12)',
  },
];

describe('template warnings', () => {
  it('accepts constraints written as a map, says so with the line, and still refuses a deployment that breaks them', async () => {
    const content = `tosca_definitions_version: tosca_simple_yaml_1_0
metadata:
  template_name: map-constraints-${crypto.randomUUID()}
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
topology_template:
  inputs:
    docker_storage_size:
      type: scalar-unit.size
      default: 20 GB
      constraints:
        in_range: [1 GB, 100 GB]
  node_templates:
    storage:
      type: tosca.nodes.BlockStorage
      properties:
        size: { get_input: docker_storage_size }
`;
    const created = await t.call('POST', '/api/v1/templates', { token: alice, json: { content } });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual([
      {
        loc: ['body', 'content', 'topology_template.inputs.docker_storage_size.constraints'],
        msg: 'constraints are written as a map; read as the list of its 1 clause(s) in written order (in_range) (line 11)',
      },
    ]);
    const inputs = await t.call('GET', `/api/v1/templates/${created.body.id}/inputs`, { token: alice });
    expect(inputs.body.inputs[0].constraints).toEqual([{ in_range: ['1 GB', '100 GB'] }]);
    const refused = await t.call('POST', '/api/v1/deployments', {
      token: alice,
      json: { template_id: created.body.id, template_inputs: { docker_storage_size: '200 GB' } },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.errors)).toContain('must be in the range [\\"1 GB\\", \\"100 GB\\"]');
    const listed = await t.call('GET', '/api/v1/deployments', { token: alice });
    expect(listed.body.page.total_elements).toBe(0);
  });

  it('shows what the engine accepted leniently, with path and line, on POST, GET and PUT', async () => {
    const created = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: warnedTemplate('warned') } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${t.url}/api/v1/templates/${created.body.id}`);
    expect(created.body).toEqual({ id: expect.any(String), warnings: WARNINGS });

    const read = await get(created.body.id);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, name: 'warned', warnings: WARNINGS });

    const changed = await put(created.body.id, { name: 'warned-renamed', version: '2.0' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: created.body.id, name: 'warned-renamed', version: '2.0', warnings: WARNINGS });
    expect(changed.body).toEqual((await get(created.body.id)).body);
  });

  it('gives warnings: [] for a clean template on POST, GET and PUT', async () => {
    const created = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: namedTemplate('clean') } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), warnings: [] });
    expect((await get(created.body.id)).body.warnings).toEqual([]);
    expect((await put(created.body.id, { name: 'clean-renamed' })).body).toMatchObject({ name: 'clean-renamed', warnings: [] });
  });

  it('converts warnings stored earlier at read time, and gives [] for a summary without a warnings array', async () => {
    const id = await addTemplate(t, alice, { content: namedTemplate('stored-earlier') });
    const setSummary = (summary: unknown) => t.database.db.update(templates).set({ summary }).where(eq(templates.id, id));
    await setSummary({ warnings: [{ path: 'topology_template.inputs.x.colour', line: 3, message: 'input x has an unknown key colour' }, { path: '', message: 'somewhere' }] });
    expect((await get(id)).body.warnings).toEqual([
      { loc: ['body', 'content', 'topology_template.inputs.x.colour'], msg: 'input x has an unknown key colour (line 3)' },
      { loc: ['body', 'content'], msg: 'somewhere' },
    ]);
    await setSummary({});
    expect((await get(id)).body.warnings).toEqual([]);
    await setSummary({ warnings: 'not a list' });
    expect((await get(id)).body.warnings).toEqual([]);
  });

  it('keeps list items without warnings', async () => {
    await addTemplate(t, alice, { content: warnedTemplate('listed') });
    const list = await t.call('GET', '/api/v1/templates?name=listed', { token: alice });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).not.toHaveProperty('warnings');
  });

  it('documents the warnings as a TemplateWarning component', async () => {
    const doc = (await t.call('GET', '/api/v1/openapi.json')).body;
    const schemaOf = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema.$ref;
    expect(doc.components.schemas.TemplateWarning.description).toMatch(/accepted leniently or ignored/);
    expect(doc.components.schemas.TemplateWarning.properties.msg.description).toMatch(/line/);
    expect(schemaOf('/api/v1/templates', 'post', '201')).toBe('#/components/schemas/TemplateCreated');
    expect(schemaOf('/api/v1/templates/{id}', 'get', '200')).toBe('#/components/schemas/TemplateDetail');
    expect(schemaOf('/api/v1/templates/{id}', 'put', '200')).toBe('#/components/schemas/TemplateDetail');
    expect(doc.paths['/api/v1/templates'].get.responses['200'].content['application/json'].schema.properties.data.items.$ref).toBe('#/components/schemas/Template');
  });
});
