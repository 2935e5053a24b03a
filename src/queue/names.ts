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
