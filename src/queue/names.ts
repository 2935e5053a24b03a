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
  logCleanup: { id: 'log-cleanup', at: '03:00' },
} as const;

export type ScheduleIntervals = {
  reconcileMs: number;
  timeoutSweepMs: number;
  /** How often a worker pool upserts the schedules again (they vanish with Redis data). */
  reassertMs: number;
  /** Daily time (HH:MM, UTC) of the log cleanup. */
  logCleanupAt: string;
};

export type SchedulerRepeat = { every: number } | { pattern: string; tz: string };

/** A daily HH:MM as a cron pattern. */
export function dailyPattern(at: string): string {
  const [h, m] = at.split(':').map(Number);
  return `${m} ${h} * * *`;
}

/** Each scheduler with its repeat rule, the configurable ones taken from `intervals`. */
export function schedulerPlan(intervals?: Partial<ScheduleIntervals>): Array<{ id: string; repeat: SchedulerRepeat }> {
  return [
    { id: SCHEDULERS.timeoutSweep.id, repeat: { every: intervals?.timeoutSweepMs ?? SCHEDULERS.timeoutSweep.everyMs } },
    { id: SCHEDULERS.reconcile.id, repeat: { every: intervals?.reconcileMs ?? SCHEDULERS.reconcile.everyMs } },
    { id: SCHEDULERS.logCleanup.id, repeat: { pattern: dailyPattern(intervals?.logCleanupAt ?? SCHEDULERS.logCleanup.at), tz: 'UTC' } },
  ];
}
