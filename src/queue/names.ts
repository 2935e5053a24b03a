/** The four queues of the system; names are stable across releases. */
export const QUEUES = {
  deployments: 'deployments',
  resourceActions: 'resource-actions',
  logIngest: 'log-ingest',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

/** Stable scheduler ids for `upsertJobScheduler`, so redeploys never duplicate a schedule. */
export const SCHEDULERS = {
  timeoutSweep: { id: 'timeout-sweep', everyMs: 60_000 },
  reconcile: { id: 'reconcile', everyMs: 60_000 },
  logCleanup: { id: 'log-cleanup', everyMs: 24 * 60 * 60_000 },
} as const;

export type ScheduleIntervals = {
  reconcileMs: number;
  timeoutSweepMs: number;
  /** How often a worker pool upserts the schedules again (they vanish with Redis data). */
  reassertMs: number;
};

/** Each scheduler with its period, the configurable ones taken from `intervals`. */
export function schedulerPlan(intervals?: Partial<ScheduleIntervals>): Array<{ id: string; everyMs: number }> {
  return [
    { id: SCHEDULERS.timeoutSweep.id, everyMs: intervals?.timeoutSweepMs ?? SCHEDULERS.timeoutSweep.everyMs },
    { id: SCHEDULERS.reconcile.id, everyMs: intervals?.reconcileMs ?? SCHEDULERS.reconcile.everyMs },
    { id: SCHEDULERS.logCleanup.id, everyMs: SCHEDULERS.logCleanup.everyMs },
  ];
}
