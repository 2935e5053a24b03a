import { expect } from 'vitest';
import type { DeploymentRig } from '../e2e/deployments.helpers.js';

export const ROLES = ['anonymous', 'other', 'otherGroup', 'owner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who asks: `owner` created the deployment (group physics); `other` shares that group but owns nothing;
 * `otherGroup` is in another group; `admin` is in the admin group.
 */
export interface AccessFixtures {
  tokens: Record<Exclude<Role, 'anonymous'>, string>;
  ownerId: string;
  otherGroupId: string;
  templateId: string;
  /** The owner's deployment, CREATE_COMPLETE, with one resource. */
  deploymentId: string;
  resourceId: string;
  /** A deployment of its own for a state-changing request, CREATE_COMPLETE (or, stuck, CREATE_IN_PROGRESS). */
  freshDeployment(opts?: { stuck?: boolean }): string;
  /** A CONFIGURED compute resource of its own (with its deployment) for a VM action. */
  freshResource(): { deploymentId: string; resourceId: string };
  /** A resource of its own brought to STARTED, for a reboot. */
  startedResource(): Promise<{ deploymentId: string; resourceId: string }>;
  /** A template nobody deploys, for a delete. */
  unusedTemplate(): Promise<string>;
  /** A registered user nobody else refers to, with its token, for a delete. */
  disposableUser(): Promise<{ id: string; token: string }>;
}

/** Deployments of their own for the requests that change a deployment's state, made up front and in parallel. */
const COMPLETE_DEPLOYMENTS = 9;
const STUCK_DEPLOYMENTS = 4;
const ACTION_RESOURCES = 10;

export async function createAccessFixtures(rig: DeploymentRig): Promise<AccessFixtures> {
  const { app } = rig;
  const tokens = {
    owner: rig.alice,
    other: await app.token('mallory', { groups: ['users', 'physics'] }),
    otherGroup: await app.token('carol', { groups: ['chemistry'] }),
    admin: rig.root,
  };
  const register = async (token: string) => (await app.call('POST', '/api/v1/users', { token })).body.id as string;
  await register(tokens.other);
  const otherGroupId = await register(tokens.otherGroup);
  const templateId = await rig.templateId();
  const stuckTemplateId = await rig.templateId({ scenario: 'stuck-running' });
  const actionsTemplateId = await rig.templateId({ count: ACTION_RESOURCES });

  const deploymentId = await rig.deploy({ template_id: templateId, user_group: 'physics' });
  const complete = await Promise.all(Array.from({ length: COMPLETE_DEPLOYMENTS }, () => rig.deploy({ template_id: templateId })));
  const stuck = await Promise.all(Array.from({ length: STUCK_DEPLOYMENTS }, () => rig.deploy({ template_id: stuckTemplateId })));
  const actions = await rig.deploy({ template_id: actionsTemplateId });
  await Promise.all([deploymentId, ...complete, actions].map((id) => rig.waitStatus(id, ['CREATE_COMPLETE'], rig.alice, 60_000)));
  const resourcesOf = async (id: string) => (await app.call('GET', `/api/v1/deployments/${id}/resources?size=100`, { token: rig.alice })).body.data.map((r: { id: string }) => r.id) as string[];
  const [resourceId] = await resourcesOf(deploymentId);
  const actionResources = await resourcesOf(actions);
  expect(actionResources).toHaveLength(ACTION_RESOURCES);

  const take = <T>(pool: T[], what: string): T => {
    const next = pool.shift();
    if (next === undefined) throw new Error(`The access fixtures ran out of ${what}: raise its count`);
    return next;
  };
  const freshResource = () => ({ deploymentId: actions, resourceId: take(actionResources, 'action resources') });

  return {
    tokens,
    ownerId: rig.aliceId,
    otherGroupId,
    templateId,
    deploymentId,
    resourceId: resourceId!,
    freshDeployment: (opts = {}) => (opts.stuck ? take(stuck, 'stuck deployments') : take(complete, 'complete deployments')),
    freshResource,
    async startedResource() {
      const target = freshResource();
      const path = `/api/v1/deployments/${target.deploymentId}/resources/${target.resourceId}`;
      expect((await app.call('PATCH', `${path}/start`, { token: rig.root })).status).toBe(202);
      await expect.poll(async () => (await app.call('GET', path, { token: rig.root })).body.status_name, { timeout: 20_000, interval: 50 }).toBe('STARTED');
      return target;
    },
    async unusedTemplate() {
      const content = `${(await app.call('GET', `/api/v1/templates/${templateId}`, { token: rig.alice })).body.content}# unused ${crypto.randomUUID()}\n`;
      const res = await app.call('POST', '/api/v1/templates', { token: rig.alice, json: { content, name: `unused-${crypto.randomUUID()}` } });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async disposableUser() {
      const token = await app.token(`disposable-${crypto.randomUUID()}`);
      return { id: await register(token), token };
    },
  };
}
