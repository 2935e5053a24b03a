/** Durations of the simulated IM, in milliseconds of simulator time. */
export interface SimTimings {
  /** Async create: time before the VMs exist (state `pending`, no VMs). */
  preparingMs: number;
  /** VM `pending` → `running`. */
  pendingMs: number;
  /** Contextualization, from the last VM running to `configured`. */
  configureMs: number;
  /** Async delete: `deleting` → gone. */
  deleteMs: number;
  /** Start/stop of a VM. */
  vmActionMs: number;
  /** VM data is refreshed from the "cloud" at most this often (IM: 10 s). */
  refreshMs: number;
  /** Cloud refresh failing this long turns VMs `unknown` (IM: 120 s). */
  unknownGraceMs: number;
  /** Contextualization cap (IM: 7200 s). */
  maxCtxtMs: number;
  /** How long a deleted infrastructure answers `Deleted infrastructure.` before it is forgotten. */
  tombstoneMs: number;
  /** Wall-clock latency added to every IM request, `[min, max]`. */
  requestLatencyMs: readonly [number, number];
}

export const FAST_TIMINGS: SimTimings = {
  preparingMs: 20,
  pendingMs: 40,
  configureMs: 80,
  deleteMs: 30,
  vmActionMs: 30,
  refreshMs: 0,
  unknownGraceMs: 100,
  maxCtxtMs: 600_000,
  tombstoneMs: 600_000,
  requestLatencyMs: [0, 0],
};

export const REALISTIC_TIMINGS: SimTimings = {
  preparingMs: 2_000,
  pendingMs: 60_000,
  configureMs: 300_000,
  deleteMs: 15_000,
  vmActionMs: 20_000,
  refreshMs: 10_000,
  unknownGraceMs: 120_000,
  maxCtxtMs: 7_200_000,
  tombstoneMs: 3_600_000,
  requestLatencyMs: [50, 400],
};

export type SimSpeed = 'fast' | 'realistic';

export function resolveTimings(speed: SimSpeed = 'fast', overrides: Partial<SimTimings> = {}): SimTimings {
  return { ...(speed === 'realistic' ? REALISTIC_TIMINGS : FAST_TIMINGS), ...overrides };
}
