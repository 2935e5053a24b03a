import { parseDuration } from './duration.js';

export const SCENARIO_NAMES = [
  'ok',
  'vm-failed',
  'all-failed',
  'unconfigured',
  'stuck-running',
  'unknown',
  'token-expired',
  'forbidden',
  'delete-conflict',
  'delete-fails',
  'flaky',
  'action-fails',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A named behaviour plus knobs; durations are in milliseconds. */
export interface Scenario {
  name: ScenarioName;
  /** Total VMs per compute node, replacing the template's counts. */
  vmCount?: number;
  /** How many VMs (the newest) end `failed`. */
  failVms?: number;
  preparingMs?: number;
  pendingMs?: number;
  ctxtMs?: number;
  /** DELETE answers 409 this long after a create/add. */
  addingWindowMs?: number;
  /** How many DELETEs without force fail (and revert). */
  deleteFails?: number;
  /** The token used at creation reads as expired this long after the create. */
  tokenExpiresAfterMs?: number;
  /** Probability that a call on this infrastructure answers `errorStatus`. */
  errorRate?: number;
  errorStatus?: number;
  /** Wall-clock latency added to calls on this infrastructure. */
  latencyMs?: number;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const DURATION_KNOBS: Record<string, keyof Scenario> = {
  preparingSeconds: 'preparingMs',
  pendingSeconds: 'pendingMs',
  ctxtSeconds: 'ctxtMs',
  addingWindowSeconds: 'addingWindowMs',
  tokenExpiresAfterSeconds: 'tokenExpiresAfterMs',
  latency: 'latencyMs',
};
const COUNT_KNOBS = new Set(['vmCount', 'failVms', 'deleteFails', 'errorStatus']);

function isScenarioName(v: string): v is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(v);
}

function applyKnob(s: Scenario, key: string, raw: unknown): void {
  const durationField = DURATION_KNOBS[key];
  if (durationField) {
    const ms = parseDuration(raw);
    if (ms === undefined) throw new ScenarioError(`Invalid duration for ${key}: ${String(raw)}`);
    (s as unknown as Record<string, number>)[durationField] = ms;
    return;
  }
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (key === 'errorRate') {
    if (!(n >= 0 && n <= 1)) throw new ScenarioError(`errorRate must be between 0 and 1`);
    s.errorRate = n;
    return;
  }
  if (COUNT_KNOBS.has(key)) {
    if (!Number.isInteger(n) || n < 0) throw new ScenarioError(`${key} must be a non-negative integer`);
    (s as unknown as Record<string, number>)[key] = n;
    return;
  }
  throw new ScenarioError(`Unknown simulator scenario knob: ${key}`);
}

/**
 * Reads a scenario from `name; knob=value; …` text or from a `{ name, …knobs }` map.
 * Durations accept `500ms`, `2s`, `1m` or a number of seconds.
 */
export function parseScenario(spec: unknown): Scenario {
  if (spec === undefined || spec === null || spec === '') return { name: 'ok' };
  let name: string;
  let knobs: Array<[string, unknown]>;
  if (typeof spec === 'string') {
    const [head, ...rest] = spec.split(';').map((p) => p.trim()).filter(Boolean);
    name = head ?? 'ok';
    knobs = rest.map((p) => {
      const i = p.indexOf('=');
      if (i < 0) throw new ScenarioError(`Scenario knob without value: ${p}`);
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    });
  } else if (typeof spec === 'object' && !Array.isArray(spec)) {
    const { name: n, ...rest } = spec as Record<string, unknown>;
    name = typeof n === 'string' ? n : 'ok';
    knobs = Object.entries(rest);
  } else {
    throw new ScenarioError('A simulator scenario is a string or a map');
  }
  if (!isScenarioName(name)) throw new ScenarioError(`Unknown simulator scenario: ${name}`);
  const scenario: Scenario = { name };
  for (const [k, v] of knobs) applyKnob(scenario, k, v);
  return scenario;
}

/** The knob defaults each named scenario implies. */
export function scenarioDefaults(s: Scenario): Scenario {
  switch (s.name) {
    case 'vm-failed':
      return { failVms: 1, ...s };
    case 'delete-fails':
      return { deleteFails: Number.MAX_SAFE_INTEGER, ...s };
    case 'flaky':
      return { errorRate: 0.5, errorStatus: 503, ...s };
    default:
      return s;
  }
}
