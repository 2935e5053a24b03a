import { invalidAnswer, jsonField } from './parse-answers.js';
import { IM_STATES, type ImStateName, type InfraState } from './types.js';

const KNOWN = new Set<string>(IM_STATES);

/** A state name as the IM spells it; names this client does not know read as `unknown`. */
export function toImState(value: unknown): ImStateName {
  return typeof value === 'string' && KNOWN.has(value) ? (value as ImStateName) : 'unknown';
}

/** Parses `{"state":{"state":…,"vm_states":{…}}}`. */
export function parseInfraState(text: string): InfraState {
  const op = 'getState';
  const wrapper = jsonField(op, text, 'state');
  if (!wrapper || typeof wrapper !== 'object') throw invalidAnswer(op, '"state" is not an object');
  const { state, vm_states: vmStates } = wrapper as Record<string, unknown>;
  if (typeof state !== 'string') throw invalidAnswer(op, 'no infrastructure state');
  const out: InfraState = { state: toImState(state), vmStates: {} };
  if (vmStates && typeof vmStates === 'object') {
    for (const [id, s] of Object.entries(vmStates)) out.vmStates[id] = toImState(s);
  }
  return out;
}

export type ImStateClass = 'success' | 'failure' | 'in_progress' | 'unknown';

/** How the orchestrator reads an infrastructure state while deploying (contract §4). */
export function classifyDeployState(state: ImStateName): ImStateClass {
  switch (state) {
    case 'configured':
      return 'success';
    case 'failed':
    case 'unconfigured':
      return 'failure';
    case 'pending':
    case 'running':
    case 'deleting':
      return 'in_progress';
    case 'unknown':
    case 'stopped':
    case 'off':
      return 'unknown';
  }
}
