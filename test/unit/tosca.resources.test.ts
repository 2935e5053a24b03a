import { describe, expect, it } from 'vitest';
import { applyInputs, deriveResources, validateInputs, type ResourceDescriptor } from '../../src/tosca/index.js';
import { manifest, parseShared, type ManifestResource } from './tosca/fixtures.js';

function expectedCount(r: ManifestResource): number {
  return typeof r.scalable_count === 'number' ? r.scalable_count : r.scalable_count.default;
}

/** The manifest writes short type names as in the template; the engine expands them. */
function fullType(type: string): string {
  return type.startsWith('tosca.') ? type : `tosca.nodes.${type}`;
}

describe('resources derived from every accepted template', () => {
  const accepted = manifest.templates.filter((t) => t.resources && !t.tags.some((x) => x === 'YAML_SYNTAX_ERROR' || x === 'UNKNOWN_NODE_TYPE'));

  it.each(accepted.map((t) => [t.file, t] as const))('%s matches the manifest', async (file, t) => {
    const resources = deriveResources(await parseShared(file));
    const expected = (t.resources ?? []).map((r) => ({
      name: r.name,
      type: fullType(r.type),
      ancestry: [fullType(r.type), ...r.parents],
      requires: [...new Set(r.requires.map((q) => q.node))],
      requiredBy: [...r.required_by].sort(),
      isCompute: [fullType(r.type), ...r.parents].includes('tosca.nodes.Compute'),
      count: expectedCount(r),
    }));
    expect(resources.map((r) => ({ ...r, requiredBy: [...r.requiredBy].sort() }))).toEqual(expected);
  });
});

interface Case {
  file: string;
  given?: Record<string, unknown>;
  values: Record<string, unknown>;
  resources: Array<Pick<ResourceDescriptor, 'name' | 'type' | 'requiredBy' | 'isCompute' | 'count'>>;
}

const r = (name: string, type: string, isCompute: boolean, requiredBy: string[] = [], count = 1) => ({
  name,
  type,
  isCompute,
  requiredBy,
  count,
});

const CASES: Case[] = [
  {
    file: 'templates/indigo-dc-tosca-types/examples/mesos_cluster.yaml',
    given: { mesos_password: 'm', marathon_password: 'a', chronos_password: 'c', slave_num: 4 },
    values: {
      mesos_password: 'm',
      marathon_password: 'a',
      chronos_password: 'c',
      slave_num: 4,
      slave_cpus: 1,
      slave_mem: '2 GB',
      master_cpus: 2,
      master_mem: '4 GB',
    },
    resources: [
      r('mesos_master', 'tosca.nodes.indigo.MesosMaster', false),
      r('mesos_slave', 'tosca.nodes.indigo.MesosSlave', false),
      r('mesos_load_balancer', 'tosca.nodes.indigo.MesosLoadBalancer', false),
      r('mesos_master_server', 'tosca.nodes.indigo.Compute', true, ['mesos_master']),
      r('mesos_slave_server', 'tosca.nodes.indigo.Compute', true, ['mesos_slave'], 4),
      r('mesos_lb_server', 'tosca.nodes.indigo.Compute', true, ['mesos_load_balancer']),
    ],
  },
  {
    file: 'templates/indigo-dc/mesos_cluster.yaml',
    given: { mesos_password: 'm', marathon_password: 'a', chronos_password: 'c' },
    values: {
      mesos_password: 'm',
      marathon_password: 'a',
      chronos_password: 'c',
      slave_num: 2,
      slave_cpus: 1,
      slave_mem: '2 GB',
      master_cpus: 2,
      master_mem: '4 GB',
    },
    resources: [
      r('mesos_master', 'tosca.nodes.indigo.MesosMaster', false),
      r('mesos_slave', 'tosca.nodes.indigo.MesosSlave', false),
      r('mesos_load_balancer', 'tosca.nodes.indigo.MesosLoadBalancer', false),
      r('mesos_master_server', 'tosca.nodes.indigo.Compute', true, ['mesos_master']),
      r('mesos_slave_server', 'tosca.nodes.indigo.Compute', true, ['mesos_slave'], 2),
      r('mesos_lb_server', 'tosca.nodes.indigo.Compute', true, ['mesos_load_balancer']),
    ],
  },
  {
    file: 'templates/indigo-dc-tosca-types/examples/web_mysql_tosca.yaml',
    values: { db_name: 'world', db_user: 'dbuser', db_password: 'pass', mysql_root_password: 'mypass' },
    resources: [
      r('apache', 'tosca.nodes.WebServer.Apache', false),
      r('web_server', 'tosca.nodes.indigo.Compute', true, ['apache']),
      r('test_db', 'tosca.nodes.indigo.Database.MySQL', false),
      r('mysql', 'tosca.nodes.DBMS.MySQL', false, ['test_db']),
      r('db_server', 'tosca.nodes.Compute', true, ['mysql']),
      r('my_block_storage', 'tosca.nodes.BlockStorage', false, ['db_server']),
    ],
  },
  {
    file: 'templates/infn-orchestrator-tests/galaxy_tosca_clues.yaml',
    given: { wn_num: '3' },
    values: { wn_num: 3, fe_cpus: 1, fe_mem: '1 GB', wn_cpus: 1, wn_mem: '1 GB' },
    resources: [
      r('elastic_cluster_front_end', 'tosca.nodes.indigo.ElasticCluster', false),
      r('galaxy_portal', 'tosca.nodes.indigo.GalaxyPortal', false),
      r('lrms_front_end', 'tosca.nodes.indigo.LRMS.FrontEnd.Slurm', false, ['elastic_cluster_front_end', 'galaxy_portal']),
      r('lrms_server', 'tosca.nodes.indigo.Compute', true, ['lrms_front_end']),
      r('wn_node', 'tosca.nodes.indigo.LRMS.WorkerNode.Slurm', false, ['elastic_cluster_front_end']),
      r('galaxy_wn', 'tosca.nodes.indigo.GalaxyWN', false),
      r('lrms_wn', 'tosca.nodes.indigo.Compute', true, ['wn_node', 'galaxy_wn'], 2),
    ],
  },
  {
    file: 'templates/indigo-dc-tosca-types/examples/slurm_glusterfs.yml',
    values: { wn_num: 5, fe_cpus: 1, fe_mem: '1 GB', wn_cpus: 1, wn_mem: '1 GB', gluster_mount_path: '/mnt/gluster', gluster_replicas: 2 },
    resources: [
      r('glusterfs_volume', 'tosca.nodes.indigo.GlusterFSVolume', false, ['lrms_server', 'lrms_wn']),
      r('lrms_front_end', 'tosca.nodes.indigo.LRMS.FrontEnd.Slurm', false),
      r('lrms_server', 'tosca.nodes.indigo.Compute', true, ['lrms_front_end']),
      r('wn_node', 'tosca.nodes.indigo.LRMS.WorkerNode.Slurm', false),
      r('lrms_wn', 'tosca.nodes.indigo.Compute', true, ['wn_node'], 5),
    ],
  },
  {
    file: 'templates/infn-orchestrator-tests/inputs/tosca_inputs_default_replaced.yaml',
    values: { cpus: 8 },
    resources: [r('my_server', 'tosca.nodes.Compute', true)],
  },
  {
    file: 'templates/infn-orchestrator-tests/chronos_2_jobs.yaml',
    values: { cpus: 1 },
    resources: [
      r('chronos_job', 'tosca.nodes.indigo.Container.Application.Docker.Chronos', false, ['chronos_job_upload']),
      r('chronos_job_upload', 'tosca.nodes.indigo.Container.Application.Docker.Chronos', false),
      r('docker_runtime1', 'tosca.nodes.indigo.Container.Runtime.Docker', false, ['chronos_job']),
      r('docker_runtime2', 'tosca.nodes.indigo.Container.Runtime.Docker', false, ['chronos_job_upload']),
    ],
  },
  {
    file: 'templates/indigo-dc-tosca-types/examples/ambertools.yaml',
    given: { memory_size: '4 GiB' },
    values: { number_cpus: 1, memory_size: '4 GiB' },
    resources: [
      r('ambertools', 'tosca.nodes.indigo.Ambertools', false),
      r('ambertools_server', 'tosca.nodes.indigo.Compute', true, ['ambertools']),
    ],
  },
  {
    file: 'templates/infn-orchestrator-tests/tosca_hybrid_before_update.yaml',
    values: { wn_num: 5, fe_cpus: 1, fe_mem: '1 GB', wn_cpus: 1, wn_mem: '1 GB', hybrid: true },
    resources: [
      r('pub_network', 'tosca.nodes.network.Network', false, ['fe_pub_port']),
      r('priv_network', 'tosca.nodes.network.Network', false, ['fe_priv_port', 'wn_priv_port']),
      r('fe_pub_port', 'tosca.nodes.network.Port', false),
      r('fe_priv_port', 'tosca.nodes.network.Port', false),
      r('wn_priv_port', 'tosca.nodes.network.Port', false),
      r('elastic_cluster_front_end', 'tosca.nodes.indigo.ElasticCluster', false),
      r('front_end', 'tosca.nodes.indigo.LRMS.FrontEnd.Slurm', false, ['elastic_cluster_front_end']),
      r('fe_server', 'tosca.nodes.indigo.Compute', true, ['fe_pub_port', 'fe_priv_port', 'elastic_cluster_front_end', 'front_end']),
      r('wn_node', 'tosca.nodes.indigo.LRMS.WorkerNode.Slurm', false, ['elastic_cluster_front_end']),
      r('wn_server', 'tosca.nodes.indigo.Compute', true, ['wn_priv_port', 'wn_node']),
    ],
  },
  {
    file: 'templates/indigo-dc-tosca-types/examples/kubernetes_elastic_cluster.yaml',
    given: { admin_token: 'tok', hybrid: 'true' },
    values: { wn_num: 5, fe_cpus: 2, fe_mem: '2 GB', wn_cpus: 1, wn_mem: '2 GB', hybrid: true, admin_username: 'kubeuser', admin_token: 'tok' },
    resources: [
      r('elastic_cluster_front_end', 'tosca.nodes.indigo.ElasticCluster', false),
      r('lrms_front_end', 'tosca.nodes.indigo.LRMS.FrontEnd.Kubernetes', false, ['elastic_cluster_front_end']),
      r('lrms_server', 'tosca.nodes.indigo.Compute', true, ['lrms_front_end']),
      r('wn_node', 'tosca.nodes.indigo.LRMS.WorkerNode.Kubernetes', false, ['elastic_cluster_front_end']),
      r('lrms_wn', 'tosca.nodes.indigo.Compute', true, ['wn_node'], 0),
    ],
  },
  {
    file: 'templates/infn-orchestrator-tests/marathon_app.yaml',
    values: {},
    resources: [
      r('marathon', 'tosca.nodes.indigo.Container.Application.Docker.Marathon', false),
      r('Docker', 'tosca.nodes.indigo.Container.Runtime.Docker', false, ['marathon']),
    ],
  },
];

describe('inputs after defaults and resources of real templates', () => {
  it.each(CASES.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const template = await parseShared(c.file);
    const validation = validateInputs(template, c.given ?? {});
    expect(validation).toEqual({ ok: true, values: c.values });
    if (!validation.ok) return;
    const resources = deriveResources(applyInputs(template, validation.values));
    expect(resources.map(({ name, type, requiredBy, isCompute, count }) => ({ name, type, requiredBy, isCompute, count }))).toEqual(c.resources);
  });
});

describe('deriveResources', () => {
  it('uses the input default for a scalable count when no user value is applied', async () => {
    const template = await parseShared('templates/indigo-dc/mesos_cluster.yaml');
    expect(deriveResources(template).find((x) => x.name === 'mesos_slave_server')?.count).toBe(2);
  });

  it('gives the full ancestry, most specific first, ending at the root type', async () => {
    const template = await parseShared('templates/indigo-dc-tosca-types/examples/spark_mesos_cluster.yaml');
    const slave = deriveResources(template).find((x) => x.name === 'mesos_slave');
    expect(slave?.ancestry).toEqual([
      'tosca.nodes.indigo.MesosSlave',
      'tosca.nodes.indigo.LRMS.WorkerNode.Mesos',
      'tosca.nodes.indigo.LRMS.WorkerNode',
      'tosca.nodes.SoftwareComponent',
      'tosca.nodes.Root',
    ]);
  });

  it('lists a node required twice by the same node once', async () => {
    const { parseInline, HEADER } = await import('./tosca/fixtures.js');
    const template = await parseInline(`${HEADER}topology_template:
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: vm
        - dependency: vm
    vm:
      type: tosca.nodes.indigo.Compute
`);
    expect(deriveResources(template)).toMatchObject([
      { name: 'app', requires: ['vm'], requiredBy: [], isCompute: false },
      { name: 'vm', requires: [], requiredBy: ['app'], isCompute: true, count: 1 },
    ]);
  });
});
