import { deploymentJobId } from '../../queue/job-ids.js';
import type { EnsureOutcome, JobQueue } from '../../queue/job-queue.js';
import { QUEUES } from '../../queue/names.js';
import type { DeploymentJobName } from '../../queue/payloads.js';

/** Unexpected errors (database down, a bug) are retried a few times; IM waits are deferrals, not attempts. */
const JOB_ATTEMPTS = 8;

/** One job per operation, its id derived from the operation: enqueuing twice runs it once. */
export function enqueueOperation(queue: JobQueue, name: DeploymentJobName, deploymentId: string, opSeq: number): Promise<void> {
  return queue.enqueue(QUEUES.deployments, name, { v: 1, deploymentId, opSeq }, { jobId: deploymentJobId(deploymentId, opSeq), attempts: JOB_ATTEMPTS });
}

/** The same job, put back if it went missing or ended while the operation still runs. */
export function ensureOperation(queue: JobQueue, name: DeploymentJobName, deploymentId: string, opSeq: number, promote = false): Promise<EnsureOutcome> {
  return queue.ensure(QUEUES.deployments, name, { v: 1, deploymentId, opSeq }, { jobId: deploymentJobId(deploymentId, opSeq), attempts: JOB_ATTEMPTS, promote });
}
