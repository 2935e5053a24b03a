import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_TOSCA_DIR } from '../helpers/tosca.js';
import { startDeploymentRig, type DeploymentRig } from './deployments.helpers.js';

/** What manifest.json says a template's nodes are: type, parent chain and instance count. */
interface ManifestResource {
  name: string;
  type: string;
  parents: string[];
  scalable_count: number | { get_input: string; default: number };
}

const manifest = JSON.parse(readFileSync(join(SHARED_TOSCA_DIR, 'manifest.json'), 'utf8')) as { templates: Array<{ file: string; resources: ManifestResource[] }> };

/** Real INDIGO templates: mixed exact/derived Compute nodes, a scaled Mesos cluster with deep chains, a Slurm cluster with networks and ports. */
const TEMPLATES = {
  cellar: { file: 'indigo-dc-tosca-types/examples/cellar_webapp_mysql.yaml', inputs: {} },
  mesos: { file: 'indigo-dc/mesos_cluster.yaml', inputs: { mesos_password: 'm3sos', marathon_password: 'm4rathon', chronos_password: 'chr0nos', slave_num: 2 } },
  slurm: { file: 'indigo-dc/slurm_cluster.yaml', inputs: {} },
} as const;
type Key = keyof typeof TEMPLATES;

let rig: DeploymentRig;
const deployed = {} as Record<Key, { id: string; infra: string }>;

const base = (dep: string) => `/api/v1/deployments/${dep}/resources`;

function manifestOf(key: Key): ManifestResource[] {
  const entry = manifest.templates.find((t) => t.file === `templates/${TEMPLATES[key].file}`);
  if (!entry) throw new Error(`${TEMPLATES[key].file} is not in manifest.json`);
  return entry.resources;
}

/** The node names (one per instance) the manifest says a `type=` filter must return, sorted. */
function expectedNames(key: Key, type: string): string[] {
  const inputs: Record<string, unknown> = TEMPLATES[key].inputs;
  return manifestOf(key)
    .filter((r) => r.type === type || r.parents.includes(type))
    .flatMap((r) => {
      const c = r.scalable_count;
      const count = typeof c === 'number' ? c : Number(inputs[c.get_input] ?? c.default);
      return Array.from({ length: count }, () => r.name);
    })
    .sort();
}

async function list(dep: string, query: string): Promise<any> {
  const res = await rig.app.call('GET', `${base(dep)}?${query}`, { token: rig.alice });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function names(key: Key, query: string): Promise<string[]> {
  return (await list(deployed[key].id, `size=100&${query}`)).data.map((r: any) => r.tosca_node_name).sort();
}

beforeAll(async () => {
  rig = await startDeploymentRig();
  await Promise.all(
    (Object.keys(TEMPLATES) as Key[]).map(async (key) => {
      const content = readFileSync(join(SHARED_TOSCA_DIR, 'templates', TEMPLATES[key].file), 'utf8');
      const tpl = await rig.app.call('POST', '/api/v1/templates', { token: rig.alice, json: { content, name: key } });
      expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
      const id = await rig.deploy({ template_id: tpl.body.id, template_inputs: TEMPLATES[key].inputs });
      const done = await rig.waitStatus(id, ['CREATE_COMPLETE', 'CREATE_FAILED'], rig.alice, 30_000);
      expect(done.status_name, done.status_reason).toBe('CREATE_COMPLETE');
      deployed[key] = { id, infra: done.im_infra_id };
    }),
  );
}, 60_000);
afterAll(async () => rig?.close());

describe('filtering the resources of real templates by TOSCA type', () => {
  it('returns exactly the compute nodes for tosca.nodes.Compute, whether exact or derived, each bound to its own VM', async () => {
    expect(await names('cellar', 'type=tosca.nodes.Compute')).toEqual(['db_server', 'web_server']);
    expect(await names('mesos', 'type=tosca.nodes.Compute')).toEqual(['mesos_lb_server', 'mesos_master_server', 'mesos_slave_server', 'mesos_slave_server']);
    expect(await names('slurm', 'type=tosca.nodes.Compute')).toEqual(['fe_server', 'wn_server']);

    const cellar = (await list(deployed.cellar.id, 'type=tosca.nodes.Compute&sort=name')).data;
    expect(cellar.map((r: any) => [r.tosca_node_name, r.tosca_node_type])).toEqual([
      ['db_server', 'tosca.nodes.Compute'],
      ['web_server', 'tosca.nodes.indigo.Compute'],
    ]);

    for (const key of Object.keys(TEMPLATES) as Key[]) {
      const computes = (await list(deployed[key].id, 'type=tosca.nodes.Compute&size=100')).data;
      const sim = (await (await rig.control(`/infrastructures/${deployed[key].infra}`)).json()) as { vms: Array<{ id: string; nodeName: string }> };
      // One resource per VM, each pointing at a VM of its own node.
      expect(computes.map((r: any) => r.im_vm_idx).sort(), key).toEqual(sim.vms.map((v) => v.id).sort());
      for (const r of computes) expect(sim.vms.find((v) => v.id === r.im_vm_idx)?.nodeName, key).toBe(r.tosca_node_name);
      // Everything else has no VM.
      const others = (await list(deployed[key].id, 'size=100')).data.filter((r: any) => !computes.some((c: any) => c.id === r.id));
      expect(others.map((r: any) => r.im_vm_idx).filter((v: unknown) => v !== null), key).toEqual([]);
    }
  });

  it('matches an exact derived type and every ancestor along its chain', async () => {
    expect(await names('cellar', 'type=tosca.nodes.indigo.Compute')).toEqual(['web_server']);
    expect(await names('mesos', 'type=tosca.nodes.indigo.Compute')).toEqual(['mesos_lb_server', 'mesos_master_server', 'mesos_slave_server', 'mesos_slave_server']);
    expect(await names('mesos', 'type=tosca.nodes.indigo.MesosMaster')).toEqual(['mesos_master']);
    expect(await names('mesos', 'type=tosca.nodes.indigo.LRMS.FrontEnd.Mesos')).toEqual(['mesos_master']);
    expect(await names('mesos', 'type=tosca.nodes.indigo.LRMS.FrontEnd')).toEqual(['mesos_master']);
    expect(await names('mesos', 'type=tosca.nodes.indigo.LRMS.WorkerNode')).toEqual(['mesos_slave']);
    expect(await names('mesos', 'type=tosca.nodes.SoftwareComponent')).toEqual(['mesos_load_balancer', 'mesos_master', 'mesos_slave']);
    expect(await names('cellar', 'type=tosca.nodes.Database')).toEqual(['test_db']);
    expect(await names('slurm', 'type=tosca.nodes.network.Port')).toEqual(['fe_priv_port', 'fe_pub_port', 'wn_priv_port']);

    // Every type and parent type the manifest knows, on every template, against the manifest's own answer.
    for (const key of Object.keys(TEMPLATES) as Key[]) {
      const types = new Set(manifestOf(key).flatMap((r) => [r.type, ...r.parents]));
      for (const type of types) expect(await names(key, `type=${encodeURIComponent(type)}`), `${key} type=${type}`).toEqual(expectedNames(key, type));
      const all = (await list(deployed[key].id, 'size=100')).data;
      expect(await names(key, 'type=tosca.nodes.Root'), key).toEqual(all.map((r: any) => r.tosca_node_name).sort());
    }
  });

  it('returns none for an unrelated type, a near-miss spelling or another case', async () => {
    for (const type of ['tosca.nodes.network.Network', 'tosca.nodes.BlockStorage', 'tosca.nodes.indigo.Kubernetes.HelmChart', 'tosca.nodes.Comp', 'tosca.nodes.compute', 'Compute', 'tosca.nodes.Compute.indigo']) {
      expect(await names('mesos', `type=${encodeURIComponent(type)}`), type).toEqual([]);
    }
    expect(await names('slurm', 'type=tosca.nodes.indigo.MesosMaster')).toEqual([]);
    const empty = await list(deployed.mesos.id, 'type=tosca.nodes.BlockStorage');
    expect(empty.page).toMatchObject({ total_elements: 0 });
  });

  it('combines the type filter with name, status, sorting and paging', async () => {
    expect(await names('mesos', 'type=tosca.nodes.Compute&name=mesos_slave_server')).toEqual(['mesos_slave_server', 'mesos_slave_server']);
    expect(await names('mesos', 'type=tosca.nodes.Compute&name=mesos_master')).toEqual([]);
    expect(await names('mesos', 'type=tosca.nodes.Compute&status=CONFIGURED')).toHaveLength(4);
    expect(await names('mesos', 'type=tosca.nodes.Compute&status=STOPPED')).toEqual([]);
    const page = await list(deployed.mesos.id, 'type=tosca.nodes.Compute&size=3&sort=-name');
    expect(page.page).toEqual({ size: 3, total_elements: 4, total_pages: 2, number: 1 });
    expect(page.data.map((r: any) => r.tosca_node_name)).toEqual(['mesos_slave_server', 'mesos_slave_server', 'mesos_master_server']);
    expect(page.links.next).toBe(`${rig.app.url}${base(deployed.mesos.id)}?type=tosca.nodes.Compute&size=3&sort=-name&page=2`);
    const second = await list(deployed.mesos.id, 'type=tosca.nodes.Compute&size=3&sort=-name&page=2');
    expect(second.data.map((r: any) => r.tosca_node_name)).toEqual(['mesos_lb_server']);
  });

  it('rejects filters it does not know and malformed filter values (422, naming each)', async () => {
    const call = (query: string) => rig.app.call('GET', `${base(deployed.mesos.id)}?${query}`, { token: rig.alice });
    for (const field of ['parent_type', 'tosca_node_type', 'types']) {
      const res = await call(`${field}=tosca.nodes.Compute`);
      expect(res.status, field).toBe(422);
      expect(res.body.errors).toEqual([{ loc: ['query', field], msg: expect.stringMatching(/unknown query parameter; known ones: .*\btype\b/) }]);
    }
    const two = await call('type=tosca.nodes.Compute&kind=vm&flavour=big');
    expect(two.status).toBe(422);
    expect(two.body.errors.map((e: { loc: string[] }) => e.loc)).toEqual([['query', 'kind'], ['query', 'flavour']]);
    const nul = await call('type=tosca.nodes.Compute%00');
    expect(nul.status).toBe(422);
    expect(nul.body.errors[0].loc).toEqual(['query', 'type']);
    expect((await call(`type=${'x'.repeat(256)}`)).status).toBe(422);
    expect((await call('type=tosca.nodes.Compute&status=asleep')).status).toBe(422);
  });
});
