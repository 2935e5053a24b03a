import { describe, expect, it } from 'vitest';
import {
  ALL_DEPLOYMENT_STATUSES,
  DEPLOYMENT_STATUS,
  IN_PROGRESS,
  deploymentStatusName,
  isFinal,
  isInProgress,
  parseDeploymentStatus,
  type DeploymentStatusName,
} from '../../src/domain/deployment-status.js';
import { DEPLOYMENT_TASK, deploymentTaskName, type DeploymentTaskName } from '../../src/domain/deployment-task.js';

/** The v1 API's published status table, written out independently of the module under test. */
const V1_STATUS: ReadonlyArray<[DeploymentStatusName, number]> = [
  ['CREATE_COMPLETE', 0],
  ['CREATE_FAILED', 1],
  ['CREATE_IN_PROGRESS', 2],
  ['DELETE_COMPLETE', 3],
  ['DELETE_FAILED', 4],
  ['DELETE_IN_PROGRESS', 5],
  ['UNKNOWN', 6],
  ['UPDATE_COMPLETE', 7],
  ['UPDATE_FAILED', 8],
  ['UPDATE_IN_PROGRESS', 9],
];

describe('deployment status codes', () => {
  it('are exactly the v1 spec table, no more and no fewer', () => {
    expect(Object.entries(DEPLOYMENT_STATUS)).toEqual(V1_STATUS);
  });

  it('are unique and dense from 0 to 9', () => {
    const codes = Object.values(DEPLOYMENT_STATUS);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('lists every status in ALL_DEPLOYMENT_STATUSES', () => {
    expect([...ALL_DEPLOYMENT_STATUSES].sort((a, b) => a - b)).toEqual(V1_STATUS.map(([, c]) => c));
  });

  it.each(V1_STATUS)('names %s from code %i', (name, code) => {
    expect(deploymentStatusName(code)).toBe(name);
  });

  it.each(V1_STATUS)('round-trips %s through its code and back', (name, code) => {
    expect(DEPLOYMENT_STATUS[deploymentStatusName(code)]).toBe(code);
    expect(deploymentStatusName(DEPLOYMENT_STATUS[name])).toBe(name);
  });

  it.each([-1, 10, 11, 99, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('names an unrecognised code %s as UNKNOWN', (code) => {
    expect(deploymentStatusName(code)).toBe('UNKNOWN');
  });
});

describe('parseDeploymentStatus', () => {
  it.each(V1_STATUS)('parses the name %s to %i', (name, code) => {
    expect(parseDeploymentStatus(name)).toBe(code);
  });

  it.each(V1_STATUS)('parses %s in lower and mixed case', (name, code) => {
    expect(parseDeploymentStatus(name.toLowerCase())).toBe(code);
    const mixed = name
      .split('')
      .map((ch, i) => (i % 2 ? ch.toLowerCase() : ch))
      .join('');
    expect(parseDeploymentStatus(mixed)).toBe(code);
  });

  it.each(V1_STATUS)('parses the numeric code string of %s (%i)', (_name, code) => {
    expect(parseDeploymentStatus(String(code))).toBe(code);
  });

  it('ignores surrounding whitespace for names and codes', () => {
    expect(parseDeploymentStatus('  create_complete\t')).toBe(DEPLOYMENT_STATUS.CREATE_COMPLETE);
    expect(parseDeploymentStatus(' 9 ')).toBe(DEPLOYMENT_STATUS.UPDATE_IN_PROGRESS);
  });

  it('returns a number, not the string, for numeric input', () => {
    expect(typeof parseDeploymentStatus('3')).toBe('number');
  });

  it.each([
    '',
    '   ',
    '10',
    '11',
    '99',
    '-1',
    '+1',
    '1.0',
    '0x1',
    '1e0',
    'CREATE',
    'COMPLETE',
    'CREATE-COMPLETE',
    'CREATE COMPLETE',
    'CREATE_COMPLETED',
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
  ])('rejects %j', (token) => {
    expect(parseDeploymentStatus(token)).toBeUndefined();
  });
});

describe('in-progress and final statuses', () => {
  const inProgressNames: DeploymentStatusName[] = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS'];

  it('are exactly the three *_IN_PROGRESS states', () => {
    expect([...IN_PROGRESS].map(deploymentStatusName).sort()).toEqual([...inProgressNames].sort());
  });

  it.each(V1_STATUS)('%s is in progress xor final', (name, code) => {
    const expectInProgress = name.endsWith('_IN_PROGRESS');
    expect(isInProgress(code)).toBe(expectInProgress);
    expect(isFinal(code)).toBe(!expectInProgress);
  });

  it('treats an unrecognised code as not in progress', () => {
    expect(isInProgress(42)).toBe(false);
    expect(isFinal(42)).toBe(true);
  });
});

describe('deployment task', () => {
  const TASKS: ReadonlyArray<[DeploymentTaskName, number]> = [
    ['submitted', 0],
    ['choosing_provider', 1],
    ['creating_infrastructure', 2],
    ['waiting_for_infrastructure', 3],
    ['collecting_resources', 4],
    ['cleaning_failed_attempt', 5],
    ['updating_infrastructure', 6],
    ['deleting_infrastructure', 7],
    ['waiting_for_deletion', 8],
    ['updating_owners', 9],
    ['done', 10],
  ];

  it('has a unique, dense code for each step, starting at submitted and ending at done', () => {
    expect(Object.entries(DEPLOYMENT_TASK)).toEqual(TASKS);
  });

  it.each(TASKS)('round-trips %s through code %i', (name, code) => {
    expect(deploymentTaskName(code)).toBe(name);
    expect(DEPLOYMENT_TASK[deploymentTaskName(code)]).toBe(code);
  });

  it.each([-1, 11, 99, 0.5, Number.NaN])('names an unrecognised code %s as submitted', (code) => {
    expect(deploymentTaskName(code)).toBe('submitted');
  });
});
