import { describe, expect, it } from 'vitest';
import {
  RESOURCE_STATUS,
  RESOURCE_STATUS_OF_VM_STATE,
  resourceStatusName,
  resourceStatusOfVmState,
  type ResourceStatusName,
} from '../../src/domain/resource-status.js';

/** The v1 API's published resource status table, written out independently of the module. */
const V1_RESOURCE_STATUS: ReadonlyArray<[ResourceStatusName, number]> = [
  ['CONFIGURED', 0],
  ['CONFIGURING', 1],
  ['CREATED', 2],
  ['CREATING', 3],
  ['DELETED', 4],
  ['DELETING', 5],
  ['ERROR', 6],
  ['INITIAL', 7],
  ['STARTED', 8],
  ['STARTING', 9],
  ['STOPPED', 10],
  ['STOPPING', 11],
];

/** Every IM VM state and the resource status it must be reported as. */
const VM_STATES: ReadonlyArray<[string, ResourceStatusName]> = [
  ['pending', 'CREATING'],
  ['running', 'CONFIGURING'],
  ['configured', 'CONFIGURED'],
  ['unconfigured', 'ERROR'],
  ['stopped', 'STOPPED'],
  ['off', 'STOPPED'],
  ['failed', 'ERROR'],
  ['unknown', 'ERROR'],
  ['deleting', 'DELETING'],
];

describe('resource status codes', () => {
  it('are exactly the v1 spec table', () => {
    expect(Object.entries(RESOURCE_STATUS)).toEqual(V1_RESOURCE_STATUS);
  });

  it('are unique and dense from 0 to 11', () => {
    const codes = Object.values(RESOURCE_STATUS);
    expect(new Set(codes).size).toBe(12);
    expect([...codes].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it.each(V1_RESOURCE_STATUS)('names %s from code %i and back', (name, code) => {
    expect(resourceStatusName(code)).toBe(name);
    expect(RESOURCE_STATUS[resourceStatusName(code)]).toBe(code);
  });

  it.each([-1, 12, 99, 2.5, Number.NaN])('names an unrecognised code %s as ERROR', (code) => {
    expect(resourceStatusName(code)).toBe('ERROR');
  });
});

describe('resource status of an IM VM state', () => {
  it.each(VM_STATES)('%s → %s', (state, name) => {
    expect(resourceStatusOfVmState(state)).toBe(RESOURCE_STATUS[name]);
    expect(resourceStatusName(resourceStatusOfVmState(state))).toBe(name);
  });

  it('the lookup table holds exactly the known IM states', () => {
    expect(Object.keys(RESOURCE_STATUS_OF_VM_STATE).sort()).toEqual(VM_STATES.map(([s]) => s).sort());
    for (const [state, name] of VM_STATES) expect(RESOURCE_STATUS_OF_VM_STATE[state]).toBe(RESOURCE_STATUS[name]);
  });

  it('maps every known state to a valid resource status', () => {
    const codes = new Set<number>(Object.values(RESOURCE_STATUS));
    for (const [state] of VM_STATES) expect(codes.has(resourceStatusOfVmState(state))).toBe(true);
  });

  it.each(['', 'RUNNING', 'Running', ' running', 'running ', 'terminated', 'deleted', 'stopping'])('maps unrecognised state %j to ERROR', (state) => {
    expect(resourceStatusOfVmState(state)).toBe(RESOURCE_STATUS.ERROR);
  });

  // States come from the IM: names of Object.prototype members must not resolve to them.
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('maps prototype-member state %j to ERROR', (state) => {
    expect(resourceStatusOfVmState(state)).toBe(RESOURCE_STATUS.ERROR);
  });
});
