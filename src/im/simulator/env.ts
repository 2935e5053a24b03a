import type { Context } from 'hono';
import type { ParseResult, ToscaEngine } from '../../tosca/index.js';
import type { SimStore } from './store.js';
import type { SimSpeed, SimTimings } from './timings.js';

export type SimMode = 'test' | 'dev' | 'production';

export interface ImSimulatorOptions {
  tosca: ToscaEngine;
  /** The control API (`/__sim`) exists only in `test` and `dev`; default `production`. */
  mode?: SimMode;
  speed?: SimSpeed;
  timings?: Partial<SimTimings>;
  /** Wall clock in ms; the control API can move the simulator clock ahead of it. */
  now?: () => number;
  /** Infrastructure id generator; default lowercase UUID v1. */
  newId?: () => string;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Accepted OIDC issuers for IM-line tokens; default: any. */
  acceptedIssuers?: readonly string[];
  /** IM users (username → password); default: any username/password is accepted. */
  users?: Readonly<Record<string, string>>;
  version?: string;
  store?: SimStore;
  /** Drops the client connection (used by `reset` faults); given by the server adapter. */
  onReset?: (c: Context) => void;
}

/** What every simulator route gets. */
export interface SimEnv {
  store: SimStore;
  timings: SimTimings;
  tosca: ToscaEngine;
  /** Parses TOSCA, reusing the result for a document seen recently (benchmarks submit the same one often). */
  parseTosca(text: string): Promise<ParseResult>;
  mode: SimMode;
  /** Simulator time: the wall clock plus the control-API offset. */
  simNow(): number;
  newId(): string;
  newInstanceId(): string;
  random(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  acceptedIssuers?: readonly string[];
  users?: Readonly<Record<string, string>>;
  version: string;
  onReset?: (c: Context) => void;
}
