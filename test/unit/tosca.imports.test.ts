import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadToscaEngine } from '../../src/node/tosca-engine.js';
import { createToscaEngine, type ToscaEngine } from '../../src/tosca/index.js';
import { builtinEngine, parseShared, readShared } from './tosca/fixtures.js';

const INDIGO = 'https://raw.githubusercontent.com/indigo-dc/tosca-types';
const INFN = 'https://baltig.infn.it/infn-cloud/tosca-types';

function template(imports: string, node: { type: string; extra?: string }): string {
  return `tosca_definitions_version: tosca_simple_yaml_1_0
${imports}
topology_template:
  node_templates:
    app:
      type: ${node.type}
${node.extra ?? ''}`;
}

const importing = (url: string) => `imports:\n  - custom: ${url}\n`;

describe('imports resolved without network', () => {
  it('maps the INDIGO master URL to the types folder, and to the built-in copy without one', async () => {
    const shared = await parseShared('templates/indigo-dc-tosca-types/examples/ambertools.yaml');
    expect(shared.imports).toEqual([
      { name: 'indigo_custom_types', url: `${INDIGO}/master/custom_types.yaml`, resolvedFrom: 'local:indigo/custom_types.yaml' },
    ]);
    const builtin = await parseShared('templates/indigo-dc-tosca-types/examples/ambertools.yaml', builtinEngine());
    expect(builtin.imports[0].resolvedFrom).toBe('builtin:indigo/custom_types.yaml');
  });

  it.each([
    ['templates/indigo-dc-tosca-types/examples/kubernetes_elastic_cluster.yaml', 'devel'],
    ['templates/indigo-dc/dodas/AMS_cluster.yaml', 'dodas_roll'],
  ])('uses the copy of the pinned branch for %s', async (file, ref) => {
    const t = await parseShared(file);
    expect(t.imports[0].resolvedFrom).toBe(`local:indigo/refs/${ref}/custom_types.yaml`);
  });

  it('falls back to the master copy for a ref without its own folder', async () => {
    const t = await parseShared('templates/indigo-dc-tosca-types/examples/ambertools.yaml');
    const result = await builtinEngine().parse(
      readShared('templates/indigo-dc-tosca-types/examples/ambertools.yaml').replace('/master/', '/v9.9.9/'),
    );
    expect(result.ok && result.template.imports[0].resolvedFrom).toBe('builtin:indigo/custom_types.yaml');
    expect(t.nodeTemplates.ambertools.type).toBe('tosca.nodes.indigo.Ambertools');
  });

  it('joins a repository URL and an import file', async () => {
    const t = await parseShared('templates/infn-orchestrator-tests/galaxy_tosca.yaml');
    expect(t.imports).toEqual([
      { name: 'indigo_custom_types', url: `${INDIGO}/master/custom_types.yaml`, resolvedFrom: 'local:indigo/custom_types.yaml' },
    ]);
  });

  it('needs no imports for normative types', async () => {
    const t = await parseShared('templates/infn-orchestrator-tests/compute_tosca.yaml');
    expect(t.imports).toEqual([]);
    expect(t.nodeTemplates).toMatchObject({ my_server: { type: 'tosca.nodes.Compute' } });
  });

  it('follows the INFN split files recursively, with both GitLab raw spellings and release tags', async () => {
    for (const url of [
      `${INFN}/raw/master/tosca_types/applications/elastic_types.yaml`,
      `${INFN}/-/raw/v3.4.0/tosca_types/applications/elastic_types.yaml`,
    ]) {
      const result = await builtinEngine().parse(
        template(importing(url), {
          type: 'tosca.nodes.indigo.DockerCompose.Elastic',
          extra: '      requirements:\n        - host: vm\n    vm:\n      type: tosca.nodes.indigo.Compute\n',
        }),
      );
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.template.nodeTemplates.app.ancestry).toEqual([
        'tosca.nodes.indigo.DockerCompose.Elastic',
        'tosca.nodes.indigo.DockerCompose',
        'tosca.nodes.SoftwareComponent',
        'tosca.nodes.Root',
      ]);
      expect(result.template.nodeTemplates.vm.ancestry).toEqual(['tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root']);
    }
  });

  it('rejects an import it cannot resolve, naming the URL and the import', async () => {
    const result = await builtinEngine().parse(template(importing('https://example.org/types.yaml'), { type: 'tosca.nodes.Compute' }));
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'imports[0].custom',
          line: 3,
          message:
            'cannot resolve import https://example.org/types.yaml: no bundled or local type file matches it and remote imports are disabled',
        },
      ],
    });
  });

  it('prefers files from TOSCA_TYPES_DIR over the built-in ones, including per-ref folders', async () => {
    const custom = `tosca_definitions_version: tosca_simple_yaml_1_0
node_types:
  tosca.nodes.site.Special:
    derived_from: tosca.nodes.indigo.Compute
`;
    const base = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - base: ${INDIGO}/master/custom_types.yaml
node_types:
  tosca.nodes.site.Tagged:
    derived_from: tosca.nodes.Compute
`;
    const engine = createToscaEngine({
      extraTypeFiles: [
        { source: 'indigo/refs/site/custom_types.yaml', content: `${custom}imports:\n  - base: ${INDIGO}/master/custom_types.yaml\n` },
        { source: 'infn/refs/v9.0.0/tosca_types/base/basic_types.yaml', content: base },
      ],
    });
    const special = await engine.parse(template(importing(`${INDIGO}/site/custom_types.yaml`), { type: 'tosca.nodes.site.Special' }));
    expect(special.ok && special.template.nodeTemplates.app.ancestry).toEqual([
      'tosca.nodes.site.Special',
      'tosca.nodes.indigo.Compute',
      'tosca.nodes.Compute',
      'tosca.nodes.Root',
    ]);
    const tagged = await engine.parse(template(importing(`${INFN}/-/raw/v9.0.0/tosca_types/base/basic_types.yaml`), { type: 'tosca.nodes.site.Tagged' }));
    expect(tagged.ok && tagged.template.imports[0].resolvedFrom).toBe('local:infn/refs/v9.0.0/tosca_types/base/basic_types.yaml');
    const elsewhere = await builtinEngine().parse(template(importing(`${INDIGO}/site/custom_types.yaml`), { type: 'tosca.nodes.site.Special' }));
    expect(elsewhere.ok).toBe(false);
  });

  it('resolves relative imports between local type files and survives import cycles', async () => {
    const engine = createToscaEngine({
      extraTypeFiles: [
        {
          source: 'site/app.yaml',
          content: 'tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - common.yaml\nnode_types:\n  site.App:\n    derived_from: site.Base\n',
        },
        {
          source: 'site/common.yaml',
          content: 'tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - app.yaml\nnode_types:\n  site.Base:\n    derived_from: tosca.nodes.SoftwareComponent\n',
        },
      ],
    });
    const result = await engine.parse(template('imports:\n  - site/app.yaml\n', { type: 'site.App' }));
    expect(result.ok && result.template.nodeTemplates.app.ancestry).toEqual([
      'site.App',
      'site.Base',
      'tosca.nodes.SoftwareComponent',
      'tosca.nodes.Root',
    ]);
  });

  it('reports a type file that is not YAML', async () => {
    const engine = createToscaEngine({ extraTypeFiles: [{ source: 'broken.yaml', content: 'node_types: [\n  a: b' }] });
    const result = await engine.parse(template('imports:\n  - broken.yaml\n', { type: 'tosca.nodes.Compute' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0].message).toMatch(/^type file broken\.yaml is not valid YAML \(line \d+\)/);
  });
});

describe('remote imports, when enabled', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'tosca-imports-'));
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/types/app.yaml') {
        res.end('tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - common.yaml\nnode_types:\n  remote.App:\n    derived_from: remote.Base\n');
      } else if (req.url === '/types/common.yaml') {
        res.end('tosca_definitions_version: tosca_simple_yaml_1_0\nnode_types:\n  remote.Base:\n    derived_from: tosca.nodes.SoftwareComponent\n');
      } else if (req.url === '/slow.yaml') {
        // never answers: the fetch must give up on its own
      } else {
        res.statusCode = 404;
        res.end('missing');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(cacheDir, { recursive: true, force: true });
  });

  const remoteTemplate = () => template(importing(`${base}/types/app.yaml`), { type: 'remote.App' });

  it('fetches an import and its relative imports once per engine, and caches them on disk', async () => {
    const engine: ToscaEngine = await loadToscaEngine({ remoteImports: { enabled: true, timeoutMs: 5000, cacheDir } });
    for (let i = 0; i < 3; i++) {
      const result = await engine.parse(remoteTemplate());
      expect(result.ok && result.template.nodeTemplates.app.ancestry).toEqual(['remote.App', 'remote.Base', 'tosca.nodes.SoftwareComponent', 'tosca.nodes.Root']);
    }
    expect(hits.filter((h) => h.startsWith('/types/'))).toEqual(['/types/app.yaml', '/types/common.yaml']);
    expect(await readdir(cacheDir)).toHaveLength(2);
    const fresh = await loadToscaEngine({ remoteImports: { enabled: true, timeoutMs: 5000, cacheDir } });
    expect((await fresh.parse(remoteTemplate())).ok).toBe(true);
    expect(hits.filter((h) => h.startsWith('/types/'))).toHaveLength(2);
  });

  it('reports a missing remote file and a server that does not answer in time', async () => {
    const engine = await loadToscaEngine({ remoteImports: { enabled: true, timeoutMs: 300 } });
    const missing = await engine.parse(template(importing(`${base}/nothing.yaml`), { type: 'tosca.nodes.Compute' }));
    expect(!missing.ok && missing.errors[0].message).toBe(`cannot fetch import ${base}/nothing.yaml: HTTP 404`);
    const slow = await engine.parse(template(importing(`${base}/slow.yaml`), { type: 'tosca.nodes.Compute' }));
    expect(!slow.ok && slow.errors[0].message).toBe(`cannot fetch import ${base}/slow.yaml: no answer within 300 ms`);
  });

  it('never fetches when remote imports are disabled', async () => {
    const before = hits.length;
    const engine = await loadToscaEngine({ remoteImports: { enabled: false, timeoutMs: 300 } });
    const result = await engine.parse(remoteTemplate());
    expect(!result.ok && result.errors[0].message).toMatch(/remote imports are disabled/);
    expect(hits.length).toBe(before);
  });
});
