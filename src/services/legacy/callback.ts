import { findDeployment, findDeploymentView } from '../../db/deployments-repo.js';
import { isFinal } from '../../domain/deployment-status.js';
import { callbackJobId } from '../../queue/job-ids.js';
import { QUEUES } from '../../queue/names.js';
import { PermanentJobError } from '../../queue/processor.js';
import { toDeploymentView } from '../deployments/deployment-view.js';
import type { Services } from '../services.js';
import { legacySources } from './deployments.js';
import { legacyDeployment } from './shapes.js';

/** Delivery attempts of one callback (exponential back-off between them); then it is given up. */
const CALLBACK_ATTEMPTS = 6;
const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Called when an operation's job returns: if the operation ended (the row is final under the same
 * operation number) and the deployment has a callback, one job POSTs it. The id makes a repeat a no-op.
 */
export async function enqueueCallbackIfFinal(s: Pick<Services, 'db' | 'queue'>, deploymentId: string, opSeq: number): Promise<void> {
  const row = await findDeployment(s.db, deploymentId);
  if (!row?.callback || row.opSeq !== opSeq || !isFinal(row.status)) return;
  await s.queue.enqueue(QUEUES.deployments, 'callback', { v: 1, deploymentId, opSeq }, { jobId: callbackJobId(deploymentId, opSeq), attempts: CALLBACK_ATTEMPTS });
}

/** POSTs the legacy Deployment JSON (`links: []`) to the callback URL; failures are retried by the queue. */
export async function deliverCallback(s: Services, deploymentId: string, post: typeof fetch = fetch): Promise<void> {
  const row = await findDeploymentView(s.db, deploymentId);
  if (!row) return;
  const [source] = await legacySources(s.db, [toDeploymentView(row, row.ownedBy)]);
  if (!source?.callback) return;
  const res = await post(source.callback, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(legacyDeployment(source, s.providers)),
    redirect: 'manual',
    signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
  });
  await res.body?.cancel().catch(() => undefined);
  if (res.ok) return;
  const message = `the callback ${source.callback} answered ${res.status}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentJobError(message);
  throw new Error(message);
}
