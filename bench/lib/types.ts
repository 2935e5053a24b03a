import type { BenchContext } from './context.js';

export type Unit = 'req/s' | 'rows/s' | 'jobs/s' | 'ms' | 'deployments/s' | 'lines/s' | 'MB';

/** A bound on a scenario's ratio (against its baseline) or on its own value. */
export interface Target {
  on: 'ratio' | 'value';
  op: '>=' | '<=';
  limit: number;
}

/** What one run of a scenario measured; `baseline` is set when the scenario measures its own. */
export interface Measurement {
  value: number;
  p50_ms?: number;
  p99_ms?: number;
  baseline?: number;
  extra?: Record<string, number | string>;
}

export class SkipScenario extends Error {
  override readonly name = 'SkipScenario';
}

export interface Scenario {
  name: string;
  /** Raw baselines measure the bare libraries; product scenarios measure our code. */
  kind: 'raw' | 'product';
  unit: Unit;
  /** The raw scenario this one is divided by; omitted when the scenario measures its own baseline. */
  vs?: string;
  /** Shown in the table when the scenario measures its own baseline. */
  baselineLabel?: string;
  target?: Target;
  description: string;
  /**
   * Starts what the scenario needs (servers, seed data) before the first round; all scenarios
   * prepare concurrently. Helpers are memoized per run, so `run` may call them again.
   */
  prepare?(ctx: BenchContext): Promise<unknown>;
  /** Throws SkipScenario when something it needs does not exist yet. */
  run(ctx: BenchContext): Promise<Measurement>;
}

/** One printed JSON line. */
export interface ResultLine {
  scenario: string;
  value: number | null;
  unit: Unit;
  baseline: number | null;
  ratio: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  vs: string | null;
  target?: string;
  met?: boolean;
  skipped?: string;
  /** Set when the scenario failed rather than being skipped on purpose. */
  error?: string;
  extra?: Record<string, number | string>;
}
