import { finalImSnapshotJobId } from '../../queue/job-ids.js';
import { QUEUES } from '../../queue/names.js';
import { loggableError } from '../loggable-error.js';
import type { Services } from '../services.js';

/**
 * Asks for a fresh IM log of a deployment. While it runs, at most one per snapshot interval (later
 * requests inside the window are dropped by the queue); `finalOf` asks for the one taken when
 * operation `opSeq` ends, which always runs. Never fails the caller: the log is not worth a step.
 */
export async function requestImSnapshot(s: Services, deploymentId: string, finalOf?: number): Promise<void> {
  const options =
    finalOf === undefined
      ? { throttle: { id: `im-log.${deploymentId}`, ttlMs: s.logLimits.imSnapshotMs } }
      : { jobId: finalImSnapshotJobId(deploymentId, finalOf) };
  await s.queue.enqueue(QUEUES.logIngest, 'im-snapshot', { v: 1, deploymentId }, options).catch((err) => {
    s.logger.warn({ err: loggableError(err), deploymentId }, 'IM log snapshot not requested');
  });
}
