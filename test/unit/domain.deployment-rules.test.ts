import { describe, expect, it } from 'vitest';
import {
  runningOperation,
  ALLOWED_FROM,
  OPERATION_OUTCOME,
  RESET_TARGET,
  checkRequest,
  type DeploymentRequest,
} from '../../src/domain/deployment-rules.js';
import { DEPLOYMENT_STATUS as S, deploymentStatusName, isInProgress, type DeploymentStatusName } from '../../src/domain/deployment-status.js';

const ALL_NAMES = Object.keys(S) as DeploymentStatusName[];
const REQUESTS: DeploymentRequest[] = ['update', 'change-group', 'owners', 'delete', 'reset-status'];

/** The v1 state table, written from the spec rather than from ALLOWED_FROM. */
function specAllows(request: DeploymentRequest, status: DeploymentStatusName): boolean {
  switch (request) {
    case 'update':
    case 'change-group':
      return !['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'].includes(status);
    case 'owners':
      return status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE';
    case 'delete':
      return status !== 'DELETE_COMPLETE';
    case 'reset-status':
      return status === 'CREATE_IN_PROGRESS' || status === 'UPDATE_IN_PROGRESS' || status === 'DELETE_IN_PROGRESS';
  }
}

const specAllowedNames = (request: DeploymentRequest) => ALL_NAMES.filter((n) => specAllows(request, n));

const PAIRS = REQUESTS.flatMap((request) => ALL_NAMES.map((status) => [request, status] as const));

describe('checkRequest over the whole state table', () => {
  it('covers all 5 requests × 10 statuses', () => {
    expect(PAIRS).toHaveLength(50);
  });

  it.each(PAIRS)('%s from %s follows the v1 table', (request, status) => {
    const verdict = checkRequest(request, S[status]);
    expect(verdict.ok).toBe(specAllows(request, status));
  });

  it.each(PAIRS.filter(([r, s]) => !specAllows(r, s)))('refusing %s from %s names the current status and the allowed ones', (request, status) => {
    const verdict = checkRequest(request, S[status]);
    expect(verdict).toEqual({ ok: false, current: status, allowed: expect.any(Array) });
    if (verdict.ok) return;
    expect(verdict.current).toBe(status);
    expect([...verdict.allowed].sort()).toEqual([...specAllowedNames(request)].sort());
    expect(verdict.allowed).not.toContain(status);
  });

  it('an accepted verdict carries nothing but ok', () => {
    expect(checkRequest('delete', S.CREATE_COMPLETE)).toEqual({ ok: true });
  });

  it('spells out a refusal in full', () => {
    expect(checkRequest('owners', S.CREATE_FAILED)).toEqual({ ok: false, current: 'CREATE_FAILED', allowed: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] });
    expect(checkRequest('delete', S.DELETE_COMPLETE)).toEqual({
      ok: false,
      current: 'DELETE_COMPLETE',
      allowed: ALL_NAMES.filter((n) => n !== 'DELETE_COMPLETE'),
    });
    const reset = checkRequest('reset-status', S.UPDATE_COMPLETE);
    expect(reset).toEqual({ ok: false, current: 'UPDATE_COMPLETE', allowed: expect.arrayContaining(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS']) });
    expect(reset.ok ? [] : reset.allowed).toHaveLength(3);
  });

  it('refuses every request from an unrecognised status code, reporting it as UNKNOWN', () => {
    for (const request of REQUESTS) {
      const verdict = checkRequest(request, 42);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.current).toBe('UNKNOWN');
    }
  });

  it('update and change-group share the same table', () => {
    for (const status of ALL_NAMES) expect(checkRequest('update', S[status]).ok).toBe(checkRequest('change-group', S[status]).ok);
  });

  it('reset-status is allowed exactly where a worker owns the deployment', () => {
    for (const status of ALL_NAMES) expect(checkRequest('reset-status', S[status]).ok).toBe(isInProgress(S[status]));
  });

  it('delete is allowed even while another operation is in progress', () => {
    for (const s of ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS'] as const) expect(checkRequest('delete', S[s]).ok).toBe(true);
  });
});

describe('ALLOWED_FROM', () => {
  it('has an entry for every request and nothing else', () => {
    expect(Object.keys(ALLOWED_FROM).sort()).toEqual([...REQUESTS].sort());
  });

  it.each(REQUESTS)('%s lists each allowed status once', (request) => {
    const list = ALLOWED_FROM[request];
    expect(new Set(list).size).toBe(list.length);
    expect(list.map(deploymentStatusName).sort()).toEqual(specAllowedNames(request).sort());
  });
});

describe('RESET_TARGET', () => {
  it('maps each in-progress status to its FAILED status', () => {
    expect(RESET_TARGET).toEqual({
      [S.CREATE_IN_PROGRESS]: S.CREATE_FAILED,
      [S.UPDATE_IN_PROGRESS]: S.UPDATE_FAILED,
      [S.DELETE_IN_PROGRESS]: S.DELETE_FAILED,
    });
  });

  it('has a target for exactly the statuses reset-status is allowed from', () => {
    for (const status of ALL_NAMES) expect(RESET_TARGET[S[status]] !== undefined).toBe(checkRequest('reset-status', S[status]).ok);
  });

  it.each(['CREATE', 'UPDATE', 'DELETE'])('resets %s_IN_PROGRESS to %s_FAILED, a final status', (op) => {
    const target = RESET_TARGET[S[`${op}_IN_PROGRESS` as DeploymentStatusName]];
    expect(target).toBeDefined();
    expect(deploymentStatusName(target!)).toBe(`${op}_FAILED`);
    expect(isInProgress(target!)).toBe(false);
  });
});

describe('OPERATION_OUTCOME', () => {
  it('covers create, update and delete', () => {
    expect(Object.keys(OPERATION_OUTCOME).sort()).toEqual(['create', 'delete', 'update']);
  });

  it.each(['create', 'update', 'delete'] as const)('%s uses its own IN_PROGRESS / COMPLETE / FAILED statuses', (op) => {
    const o = OPERATION_OUTCOME[op];
    const prefix = op.toUpperCase();
    expect(deploymentStatusName(o.inProgress)).toBe(`${prefix}_IN_PROGRESS`);
    expect(deploymentStatusName(o.complete)).toBe(`${prefix}_COMPLETE`);
    expect(deploymentStatusName(o.failed)).toBe(`${prefix}_FAILED`);
  });

  it.each(['create', 'update', 'delete'] as const)('%s: only the in-progress status is in progress, and reset agrees with failure', (op) => {
    const o = OPERATION_OUTCOME[op];
    expect(isInProgress(o.inProgress)).toBe(true);
    expect(isInProgress(o.complete)).toBe(false);
    expect(isInProgress(o.failed)).toBe(false);
    expect(RESET_TARGET[o.inProgress]).toBe(o.failed);
  });

  it('gives each operation distinct statuses', () => {
    const all = Object.values(OPERATION_OUTCOME).flatMap((o) => [o.inProgress, o.complete, o.failed]);
    expect(new Set(all).size).toBe(9);
    expect(all).not.toContain(S.UNKNOWN);
  });

  it('an operation can be retried (update/delete) from its failed outcome, and delete is refused once deleted', () => {
    expect(checkRequest('update', OPERATION_OUTCOME.update.failed).ok).toBe(true);
    expect(checkRequest('delete', OPERATION_OUTCOME.delete.failed).ok).toBe(true);
    expect(checkRequest('delete', OPERATION_OUTCOME.delete.complete).ok).toBe(false);
    expect(checkRequest('update', OPERATION_OUTCOME.delete.complete).ok).toBe(false);
  });
});

describe('runningOperation', () => {
  it('names the job of every in-progress status and none for the others', () => {
    for (const status of Object.values(S)) {
      const op = runningOperation(status, null);
      if (isInProgress(status)) expect(op, deploymentStatusName(status)).toBeDefined();
      else expect(op, deploymentStatusName(status)).toBeUndefined();
    }
    expect(runningOperation(S.CREATE_IN_PROGRESS, null)).toBe('create');
    expect(runningOperation(S.DELETE_IN_PROGRESS, null)).toBe('delete');
  });

  it('tells an owners change from a redeploy by the status it will go back to', () => {
    expect(runningOperation(S.UPDATE_IN_PROGRESS, null)).toBe('update');
    expect(runningOperation(S.UPDATE_IN_PROGRESS, S.CREATE_COMPLETE)).toBe('owners');
  });
});
