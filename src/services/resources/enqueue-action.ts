import type { ResourceAction } from '../../domain/resource-actions.js';
import { resourceActionJobId } from '../../queue/job-ids.js';
import type { EnsureOutcome } from '../../queue/job-queue.js';
import { QUEUES } from '../../queue/names.js';
import type { Services } from '../services.js';

/** Unexpected errors are retried a few times; VM waits are deferrals, not attempts. */
const JOB_ATTEMPTS = 8;

/**
 * The job of one action request, its id derived from the resource and the action sequence: enqueuing
 * twice (a request, then a reconciler that thinks the job vanished) runs it once.
 */
export function enqueueResourceAction(s: Pick<Services, 'queue'>, deploymentId: string, resourceId: string, action: ResourceAction, actionSeq: number): Promise<void> {
  return s.queue.enqueue(QUEUES.resourceActions, action, { v: 1, deploymentId, resourceId, actionSeq }, { jobId: resourceActionJobId(resourceId, actionSeq), attempts: JOB_ATTEMPTS });
}

/** The same job, put back if it went missing or ended while the action still runs. */
export function ensureResourceAction(s: Pick<Services, 'queue'>, deploymentId: string, resourceId: string, action: ResourceAction, actionSeq: number): Promise<EnsureOutcome> {
  return s.queue.ensure(QUEUES.resourceActions, action, { v: 1, deploymentId, resourceId, actionSeq }, { jobId: resourceActionJobId(resourceId, actionSeq), attempts: JOB_ATTEMPTS });
}
