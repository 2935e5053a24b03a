import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_STATUS as D } from '../../src/domain/deployment-status.js';
import {
  checkResourceRequest,
  DEPLOYMENT_BLOCKS_RESOURCE_REQUESTS,
  isActionable,
  judgeVmState,
  MAX_ACTION_POLLS,
  parseResourceStatus,
  RESOURCE_ACTION_PLAN,
  RESOURCE_ALLOWED_FROM,
  type ResourceRequest,
} from '../../src/domain/resource-actions.js';
import { IM_STATES } from '../../src/im/types.js';
import { RESOURCE_STATUS as R, type ResourceStatusName } from '../../src/domain/resource-status.js';

const ALL = Object.keys(R) as ResourceStatusName[];

const EXPECTED: Record<ResourceRequest, ResourceStatusName[]> = {
  start: ['CONFIGURED', 'STOPPED', 'STARTED'],
  stop: ['CONFIGURED', 'STOPPED', 'STARTED'],
  reboot: ['STARTED'],
  'reset-status': ALL,
};

describe('the resource request table', () => {
  it('publishes the spec codes 0 CONFIGURED … 11 STOPPING', () => {
    expect(Object.entries(R)).toEqual([
      ['CONFIGURED', 0], ['CONFIGURING', 1], ['CREATED', 2], ['CREATING', 3], ['DELETED', 4], ['DELETING', 5],
      ['ERROR', 6], ['INITIAL', 7], ['STARTED', 8], ['STARTING', 9], ['STOPPED', 10], ['STOPPING', 11],
    ]);
  });

  for (const request of Object.keys(EXPECTED) as ResourceRequest[]) {
    for (const status of ALL) {
      const allowed = EXPECTED[request].includes(status);
      it(`${allowed ? 'allows' : 'refuses'} ${request} from ${status}`, () => {
        const verdict = checkResourceRequest(request, R[status]);
        if (allowed) expect(verdict).toEqual({ ok: true });
        else expect(verdict).toEqual({ ok: false, current: status, allowed: EXPECTED[request] });
      });
    }
  }

  it('names every request in the table', () => {
    expect(Object.keys(RESOURCE_ALLOWED_FROM).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('names an unknown code ERROR', () => {
    expect(checkResourceRequest('reboot', 99)).toMatchObject({ ok: false, current: 'ERROR' });
  });
});

describe('the action plan', () => {
  it('start and stop go through STARTING and STOPPING to STARTED and STOPPED; reboot through STARTING', () => {
    expect(RESOURCE_ACTION_PLAN.start).toMatchObject({ inProgress: R.STARTING, done: R.STARTED });
    expect(RESOURCE_ACTION_PLAN.stop).toMatchObject({ inProgress: R.STOPPING, done: R.STOPPED });
    expect(RESOURCE_ACTION_PLAN.reboot).toMatchObject({ inProgress: R.STARTING, done: R.STARTED });
  });

  const outcome: Record<'start' | 'stop' | 'reboot', Record<string, 'done' | 'failed' | 'wait'>> = {
    start: { pending: 'wait', running: 'wait', configured: 'done', unconfigured: 'failed', stopped: 'wait', off: 'wait', failed: 'failed', unknown: 'wait', deleting: 'failed' },
    reboot: { pending: 'wait', running: 'wait', configured: 'done', unconfigured: 'failed', stopped: 'wait', off: 'wait', failed: 'failed', unknown: 'wait', deleting: 'failed' },
    stop: { pending: 'wait', running: 'wait', configured: 'wait', unconfigured: 'failed', stopped: 'done', off: 'done', failed: 'failed', unknown: 'wait', deleting: 'failed' },
  };
  for (const action of ['start', 'stop', 'reboot'] as const) {
    for (const vm of IM_STATES) {
      it(`${action} seeing the VM ${vm} means ${outcome[action][vm]}`, () => {
        const v = judgeVmState(action, vm, 0);
        expect(v.kind).toBe(outcome[action][vm]);
        if (v.kind === 'done') expect(v.status).toBe(RESOURCE_ACTION_PLAN[action].done);
        if (v.kind === 'failed') expect(v.reason).toContain(vm);
      });
    }
  }

  it('gives up with a reason after the last poll instead of waiting', () => {
    expect(judgeVmState('start', 'pending', MAX_ACTION_POLLS - 2).kind).toBe('wait');
    const v = judgeVmState('start', 'pending', MAX_ACTION_POLLS - 1);
    expect(v).toEqual({ kind: 'failed', reason: expect.stringContaining('last state pending') });
    expect(judgeVmState('start', 'configured', MAX_ACTION_POLLS + 5).kind).toBe('done');
  });
});

describe('which resources the IM can act on', () => {
  it('is a compute node (by type or ancestry) bound to a VM', () => {
    expect(isActionable({ toscaNodeType: 'tosca.nodes.indigo.Compute', typeAncestry: ['tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root'], imVmIdx: 0 })).toBe(true);
    expect(isActionable({ toscaNodeType: 'tosca.nodes.Compute', typeAncestry: [], imVmIdx: 3 })).toBe(true);
    expect(isActionable({ toscaNodeType: 'tosca.nodes.indigo.Compute', typeAncestry: ['tosca.nodes.Compute'], imVmIdx: null })).toBe(false);
    expect(isActionable({ toscaNodeType: 'tosca.nodes.network.Network', typeAncestry: ['tosca.nodes.network.Network', 'tosca.nodes.Root'], imVmIdx: 0 })).toBe(false);
  });

  it('refuses resource requests on a deployment being deleted or deleted', () => {
    expect([...DEPLOYMENT_BLOCKS_RESOURCE_REQUESTS].sort()).toEqual([D.DELETE_COMPLETE, D.DELETE_IN_PROGRESS].sort());
  });
});

describe('parseResourceStatus', () => {
  it('reads names in any case and codes, and nothing else', () => {
    expect(parseResourceStatus('started')).toBe(R.STARTED);
    expect(parseResourceStatus(' STOPPING ')).toBe(R.STOPPING);
    expect(parseResourceStatus('0')).toBe(R.CONFIGURED);
    expect(parseResourceStatus('11')).toBe(R.STOPPING);
    expect(parseResourceStatus('12')).toBeUndefined();
    expect(parseResourceStatus('toString')).toBeUndefined();
    expect(parseResourceStatus('-1')).toBeUndefined();
    expect(parseResourceStatus('')).toBeUndefined();
  });
});
