import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_TASK } from '../../src/domain/deployment-task.js';
import type { ProviderRegistry } from '../../src/domain/provider-registry.js';
import { normalizeLegacyPath } from '../../src/routes/legacy/index.js';
import type { DeploymentView } from '../../src/services/deployments/deployment-view.js';
import { legacyDate, legacyDeployment, legacyResource, legacyTask } from '../../src/services/legacy/shapes.js';
import type { ResourceView } from '../../src/services/resources/resource-view.js';
import { expectNoNulls } from './legacy.helpers.js';

const providers = {
  providers: [{ name: 'p1', type: 'openstack', enabled: true, priority: 1, identity_endpoint: 'https://keystone.example:5000/v3', idp_protocol: 'oidc', auth_version: 'x', regions: [{ name: 'r1', images: {}, flavours: {} }], projects: {} }],
} as ProviderRegistry;

const view = (patch: Partial<DeploymentView> = {}): DeploymentView => ({
  id: '0192f5c4-4b1e-7a3e-9c1d-2f6a8b9c0d1e',
  createdAt: new Date('2025-01-31T10:34:59.999Z'),
  createdBy: null,
  updatedAt: new Date('2025-01-31T10:41:00Z'),
  updatedBy: null,
  ownedBy: [],
  templateId: null,
  templateInputs: {},
  templateOutputs: {},
  userGroup: null,
  maxProviders: null,
  perProviderMaxRetries: null,
  perProviderTimeoutMins: null,
  totTimeoutMins: null,
  keepLastAttempt: false,
  targetProvider: null,
  targetRegion: null,
  targetIaasProject: null,
  imInfraId: null,
  status: 2,
  statusName: 'CREATE_IN_PROGRESS',
  statusReason: null,
  task: 0,
  taskName: 'submitted',
  startedAt: new Date('2025-01-31T10:34:59.999Z'),
  finishedAt: null,
  ...patch,
});

describe('legacy shapes', () => {
  it('dates are UTC minutes with a +0000 offset, seconds dropped', () => {
    expect(legacyDate(new Date('2024-03-01T09:56:59.999Z'))).toBe('2024-03-01T09:56+0000');
  });

  it('every v1 task has a legacy name: NONE between operations, DEPLOYER while the IM works', () => {
    expect(Object.values(DEPLOYMENT_TASK).map(legacyTask)).toEqual(['NONE', 'BROKERING', 'DEPLOYER', 'DEPLOYER', 'DEPLOYER', 'DEPLOYER', 'DEPLOYER', 'DEPLOYER', 'DEPLOYER', 'DEPLOYER', 'NONE']);
  });

  it('omits every null property and keeps empty outputs', () => {
    const d = legacyDeployment({ view: view(), callback: null, creator: { issuer: 'https://iam/', subject: 's' } }, providers, 'https://h/o');
    expectNoNulls(d);
    expect(Object.keys(d).sort()).toEqual(['createdBy', 'creationTime', 'links', 'outputs', 'status', 'task', 'updateTime', 'uuid']);
    expect(d.creationTime).toBe('2025-01-31T10:34+0000');
  });

  it('names the provider, its endpoint, region and IaaS type once chosen', () => {
    const d = legacyDeployment({ view: view({ targetProvider: 'p1', targetRegion: 'r1', imInfraId: 'inf', statusReason: 'why', userGroup: 'g' }), callback: 'http://cb', creator: null }, providers);
    expect(d).toMatchObject({
      physicalId: 'inf',
      statusReason: 'why',
      userGroup: 'g',
      callback: 'http://cb',
      cloudProviderName: 'p1',
      cloudProviderEndpoint: { cpEndpoint: 'https://keystone.example:5000/v3', region: 'r1', deploymentType: 'OPENSTACK', iaasType: 'OPENSTACK' },
      links: [],
    });
  });

  it('resource metadata is a string map, the VM info JSON-encoded', () => {
    const r: ResourceView = {
      id: 'r',
      deploymentId: 'd',
      createdAt: new Date(0),
      createdBy: null,
      updatedAt: new Date(0),
      updatedBy: null,
      imVmIdx: 0,
      status: 0,
      statusName: 'CONFIGURED',
      statusReason: null,
      action: null,
      toscaNodeType: 'tosca.nodes.indigo.Compute',
      toscaNodeName: 'server',
      requiredBy: [],
      metadata: { vm_id: '0', public_ips: ['1.2.3.4'], VirtualMachineInfo: { vmProperties: [{ class: 'system', 'memory.size': 1024 }] } },
    };
    const out = legacyResource(r, 'https://h');
    expect(out.metadata).toEqual({ vm_id: '0', public_ips: '["1.2.3.4"]', VirtualMachineInfo: '{"vmProperties":[{"class":"system","memory.size":1024}]}' });
    expect(out).toMatchObject({ physicalId: '0', state: 'STARTED' });
    expect(legacyResource({ ...r, imVmIdx: null, metadata: null }, 'https://h')).toMatchObject({ state: 'CONFIGURED', metadata: {} });
  });

  it('collapses repeated slashes and drops a trailing one', () => {
    expect(normalizeLegacyPath('//deployments//x/')).toBe('/deployments/x');
    expect(normalizeLegacyPath('/')).toBe('/');
    expect(normalizeLegacyPath('/deployments/a.json')).toBe('/deployments/a.json');
  });
});
