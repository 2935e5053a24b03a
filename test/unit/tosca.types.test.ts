import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTypeFiles } from '../../src/node/tosca-engine.js';
import { builtinTypeFile } from '../../src/tosca/builtin-types/index.js';
import { buildBuiltinData, emitBuiltinModules } from '../../src/tosca/builtin-types/build.js';
import { BUILTIN_SOURCES, NORMATIVE_SOURCE } from '../../src/tosca/builtin-types/sources.js';
import { TypeScope } from '../../src/tosca/type-scope.js';
import type { TypeFile } from '../../src/tosca/type-definitions.js';
import { builtinEngine, HEADER, parseInline, parseShared, readShared, SHARED_TYPES_DIR, sharedToscaEngine, templateFilesOnDisk } from './tosca/fixtures.js';

const BUILTIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../src/tosca/builtin-types');

function scopeOf(...sources: string[]): TypeScope {
  const files = [NORMATIVE_SOURCE, ...sources].map((s) => builtinTypeFile(s) as TypeFile);
  return new TypeScope(files);
}

describe('type ancestry', () => {
  const indigo = scopeOf('indigo/custom_types.yaml');

  it.each([
    ['tosca.nodes.indigo.Compute', ['tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root']],
    [
      'tosca.nodes.indigo.MesosSlave',
      ['tosca.nodes.indigo.MesosSlave', 'tosca.nodes.indigo.LRMS.WorkerNode.Mesos', 'tosca.nodes.indigo.LRMS.WorkerNode', 'tosca.nodes.SoftwareComponent', 'tosca.nodes.Root'],
    ],
    [
      'tosca.nodes.indigo.Container.Application.Docker.Marathon',
      [
        'tosca.nodes.indigo.Container.Application.Docker.Marathon',
        'tosca.nodes.indigo.Container.Application.Docker',
        'tosca.nodes.Container.Application.Docker',
        'tosca.nodes.Container.Application',
        'tosca.nodes.Root',
      ],
    ],
  ])('%s', (type, chain) => {
    expect(indigo.ancestry('node_types', type).chain).toEqual(chain);
  });

  it('follows capability types the same way', () => {
    expect(indigo.ancestry('capability_types', 'tosca.capabilities.indigo.OperatingSystem').chain).toEqual([
      'tosca.capabilities.indigo.OperatingSystem',
      'tosca.capabilities.OperatingSystem',
      'tosca.capabilities.Root',
    ]);
  });

  it('treats a primitive parent of a data type as terminal', () => {
    expect(indigo.ancestry('data_types', 'tosca.datatypes.network.PortDef')).toEqual({
      chain: ['tosca.datatypes.network.PortDef'],
      primitive: 'integer',
    });
  });

  it('expands short type names', () => {
    expect(indigo.resolveName('node_types', 'BlockStorage')).toBe('tosca.nodes.BlockStorage');
    expect(indigo.resolveName('node_types', 'tosca:BlockStorage')).toBe('tosca.nodes.BlockStorage');
    expect(indigo.resolveName('relationship_types', 'AttachesTo')).toBe('tosca.relationships.AttachesTo');
    expect(indigo.resolveName('node_types', 'Nowhere')).toBeUndefined();
  });

  it('inherits properties, the child overriding by name', () => {
    const props = indigo.properties('node_types', 'tosca.nodes.indigo.MesosSlave');
    expect(props.component_version).toMatchObject({ type: 'version', required: false });
    expect(Object.keys(indigo.capabilities('tosca.nodes.indigo.Compute'))).toEqual(
      expect.arrayContaining(['host', 'os', 'scalable', 'endpoint', 'binding', 'feature']),
    );
    expect(indigo.capabilities('tosca.nodes.indigo.Compute').os.type).toBe('tosca.capabilities.indigo.OperatingSystem');
  });

  it('reports an undefined parent instead of crashing', () => {
    const devel = scopeOf('indigo/refs/devel/custom_types.yaml');
    expect(devel.ancestry('node_types', 'tosca.nodes.indigo.AnsibleRecipe')).toEqual({
      chain: ['tosca.nodes.indigo.AnsibleRecipe'],
      missingParent: 'tosca.nodes.ec3.Application',
    });
  });

  it('rejects a node whose type has a broken chain', async () => {
    const result = await builtinEngine().parse(`tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - t: https://raw.githubusercontent.com/indigo-dc/tosca-types/devel/custom_types.yaml
topology_template:
  node_templates:
    recipe:
      type: tosca.nodes.indigo.AnsibleRecipe
`);
    expect(!result.ok && result.errors.map((e) => e.message)).toEqual([
      'node type tosca.nodes.indigo.AnsibleRecipe derives from tosca.nodes.ec3.Application, which is not defined',
    ]);
  });

  it('lets a template define its own node types', async () => {
    const t = await parseInline(`${HEADER}node_types:
  my.Worker:
    derived_from: tosca.nodes.indigo.Compute
    properties:
      flavour: { type: string, default: small }
topology_template:
  node_templates:
    w:
      type: my.Worker
`);
    expect(t.nodeTemplates.w).toMatchObject({
      ancestry: ['my.Worker', 'tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root'],
      propertyDefaults: { flavour: 'small' },
    });
  });
});

describe('the built-in registry', () => {
  it('is what the generator produces from the shared type files (regenerate when they change)', async () => {
    const files = (await readTypeFiles(SHARED_TYPES_DIR)).filter((f) => BUILTIN_SOURCES.includes(f.source));
    expect(files.map((f) => f.source).sort()).toEqual([...BUILTIN_SOURCES].sort());
    for (const [name, text] of Object.entries(emitBuiltinModules(buildBuiltinData(files)))) {
      expect(readFileSync(join(BUILTIN_DIR, name), 'utf8'), name).toBe(text);
    }
  });

  it('parses every shared template exactly as the shared type files do, without any types folder', async () => {
    const shared = await sharedToscaEngine();
    for (const file of templateFilesOnDisk()) {
      const a = await shared.parse(readShared(file));
      const b = await builtinEngine().parse(readShared(file));
      const strip = (r: typeof a) =>
        r.ok ? { ok: true, nodes: r.template.nodeTemplates, inputs: r.template.inputs, warnings: r.warnings } : r;
      expect(strip(b), file).toEqual(strip(a));
    }
  });

  it('resolves the INDIGO master, branch, INFN monolithic and INFN split files', () => {
    for (const source of BUILTIN_SOURCES) expect(builtinTypeFile(source), source).toBeDefined();
    expect(builtinTypeFile('indigo/refs/dodas_roll/custom_types.yaml')?.types.node_types?.['tosca.nodes.indigo.HTCondorServices']).toBeDefined();
  });
});

describe('short names in real templates', () => {
  it('expands BlockStorage and AttachesTo', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/web_mysql_tosca.yaml');
    expect(t.nodeTemplates.my_block_storage.type).toBe('tosca.nodes.BlockStorage');
    const attach = t.nodeTemplates.db_server.requirements.find((r) => r.name === 'local_storage');
    expect(attach?.relationship).toMatchObject({ type: 'tosca.relationships.AttachesTo' });
  });
});
