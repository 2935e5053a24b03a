import { deploymentStatusName, type DeploymentStatusName } from '../../domain/deployment-status.js';
import { deploymentTaskName, type DeploymentTaskName } from '../../domain/deployment-task.js';

/** What a `status` event carries: the deployment's status and task after a change. */
export interface StatusEventData {
  id: string;
  status: number;
  status_name: DeploymentStatusName;
  task: number;
  task_name: DeploymentTaskName;
  status_reason: string | null;
  at: string;
  /** The row version after the change: a client may ignore an event older than one it has. */
  version: number;
}

export interface LogEventLine {
  ts: string;
  line: string;
}

/** What a `log` event carries: orchestrator lines just stored (redacted), and how many were left out of the event. */
export interface LogEventData {
  id: string;
  lines: LogEventLine[];
  more: number;
}

export type DeploymentEvent =
  | { type: 'status'; deploymentId: string; data: StatusEventData }
  | { type: 'log'; deploymentId: string; data: LogEventData };

/** An event as stored in the feed; `id` orders events and is what a client resumes after. */
export type StoredEvent = DeploymentEvent & { id: string };

/** One deployment's events, or every deployment's. */
export type FeedScope = { deploymentId: string } | 'all';

/** Producer side, shared by the API and the workers. */
export interface EventPublisher {
  /** Resolves once the event is stored and announced; never rejects (a lost event is logged, not fatal). */
  publish(event: DeploymentEvent): Promise<void>;
}

/** What a live subscription is told. */
export interface FeedListener {
  onEvent(event: StoredEvent): void;
  /** Live events may have been missed (the subscription reconnected): read the stream again. */
  onGap(): void;
  /** The feed is closing (server shutdown). */
  onClose(): void;
}

/** Reader side: the stored streams plus live fan-out from one subscription per process. */
export interface EventFeed {
  /** Up to `count` stored events from `from` on (inclusive or not), oldest first. */
  read(scope: FeedScope, o: { from: string; inclusive: boolean; count: number }): Promise<StoredEvent[]>;
  /** The id of the newest stored event, if any. */
  lastId(scope: FeedScope): Promise<string | undefined>;
  /** Resolves once live events reach the listener; returns the unsubscribe. */
  listen(scope: FeedScope, listener: FeedListener): Promise<() => void>;
  /** Ends every live subscription. */
  close(): Promise<void>;
}

/** Stream ids (`<ms>-<seq>`) before any real one. */
export const FIRST_EVENT_ID = '0-0';
export const EVENT_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

export function compareEventIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am! < bm! ? -1 : 1;
  if (as !== bs) return as! < bs! ? -1 : 1;
  return 0;
}

export function statusEventOf(row: { id: string; status: number; task: number; statusReason: string | null; updatedAt: Date; version: number }): DeploymentEvent {
  return {
    type: 'status',
    deploymentId: row.id,
    data: {
      id: row.id,
      status: row.status,
      status_name: deploymentStatusName(row.status),
      task: row.task,
      task_name: deploymentTaskName(row.task),
      status_reason: row.statusReason,
      at: row.updatedAt.toISOString(),
      version: row.version,
    },
  };
}

export const noEventPublisher: EventPublisher = { publish: async () => {} };
