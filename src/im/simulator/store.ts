import type { SimInfra } from './model.js';

export interface FaultRule {
  id: string;
  method?: string;
  /** Regular expression matched against the request path. */
  path: string;
  status?: number;
  body?: string;
  /** Fixed delay, or a `[min, max]` range, before answering. */
  delayMs?: number | [number, number];
  /** Remaining matches; undefined = unlimited. */
  times?: number;
  /** Chance (0..1) that a matching request is hit; default 1. */
  probability?: number;
  /** `reset` drops the connection; `hang` never answers (until the client gives up). */
  action?: 'reset' | 'hang';
  hits: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: string;
  status: number;
  headers: Record<string, string>;
  infId?: string;
}

/** Everything the simulator keeps in memory. */
export interface SimStore {
  infras: Map<string, SimInfra>;
  faults: FaultRule[];
  requests: RecordedRequest[];
  recordLimit: number;
  expiredTokens: Set<string>;
  expiredSubjects: Set<string>;
  clockOffsetMs: number;
  ipSeq: number;
  faultSeq: number;
  /** Simulated time of the last tombstone purge run by a create. */
  lastPurgeAt?: number;
}

export function createSimStore(recordLimit = 1_000): SimStore {
  return {
    infras: new Map(),
    faults: [],
    requests: [],
    recordLimit,
    expiredTokens: new Set(),
    expiredSubjects: new Set(),
    clockOffsetMs: 0,
    ipSeq: 0,
    faultSeq: 0,
  };
}

/** A fresh public (198.18.0.0/15, benchmark range) and private (10.0.0.0/8) address pair. */
export function allocateIps(store: SimStore): { publicIp: string; privateIp: string } {
  const n = ++store.ipSeq;
  const pub = n % 131_072;
  return {
    publicIp: `198.${18 + (pub >> 16)}.${(pub >> 8) & 255}.${pub & 255}`,
    privateIp: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
  };
}

export function recordRequest(store: SimStore, req: RecordedRequest): void {
  store.requests.push(req);
  if (store.requests.length > store.recordLimit) store.requests.splice(0, store.requests.length - store.recordLimit);
}

/** Runs purgeTombstones at most once per `everyMs` of simulated time, so frequent creates stay cheap. */
export function purgeTombstonesNowAndThen(store: SimStore, simNow: number, tombstoneMs: number, everyMs: number): void {
  if (store.lastPurgeAt !== undefined && simNow - store.lastPurgeAt < everyMs) return;
  store.lastPurgeAt = simNow;
  purgeTombstones(store, simNow, tombstoneMs);
}

/** Forgets infrastructures deleted longer than `tombstoneMs` ago. */
export function purgeTombstones(store: SimStore, simNow: number, tombstoneMs: number): void {
  for (const [id, infra] of store.infras) {
    if (infra.deletedAt !== undefined && simNow + infra.shiftMs - infra.deletedAt >= tombstoneMs) store.infras.delete(id);
  }
}
