import { ImSnapshotJob, LogAppendJob } from '../../src/queue/payloads.js';
import { PermanentJobError, type Processor } from '../../src/queue/processor.js';
import { StepFailure } from '../../src/services/deployments/im-context.js';
import { announceLogLines } from '../../src/services/events/announce.js';
import { snapshotImLog } from '../../src/services/logs/im-log.js';
import { ingestLines } from '../../src/services/logs/ingest-lines.js';
import type { Services } from '../../src/services/services.js';

/** `append`: a batch of orchestrator lines into the log; `im-snapshot`: the IM log of a deployment. */
export function logIngestProcessor(s: Services): Processor {
  return async (job) => {
    switch (job.name) {
      case 'append': {
        const { deploymentId, lines } = LogAppendJob.parse(job.data);
        return ingestLines(s.db, deploymentId, lines, s.logLimits.maxLinesPerDeployment, (stored) => announceLogLines(s, deploymentId, stored));
      }
      case 'im-snapshot': {
        const { deploymentId } = ImSnapshotJob.parse(job.data);
        try {
          return { outcome: await snapshotImLog(s, deploymentId) };
        } catch (err) {
          // No usable token: retrying cannot help; the deployment's own steps report why.
          if (err instanceof StepFailure) throw new PermanentJobError(err.message);
          throw err;
        }
      }
      default:
        throw new PermanentJobError(`unknown log-ingest job ${job.name}`);
    }
  };
}
