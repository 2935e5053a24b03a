import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import type { BenchContext } from './context.js';
import type { EngineStack, EngineTemplate } from './engine-stack.js';

/** Quick polling, so a deployment's time is the engine's work rather than its waits. */
export const BRISK_POLLING = { IM_POLL_BASE_MS: '100', IM_POLL_MAX_MS: '1000' };

/** Generous: the slowest full-size run finishes far inside it. */
const completionTimeoutMs = (n: number) => 120_000 + n * 200;

/**
 * Deployments submitted while no worker runs, then taken to CREATE_COMPLETE by `workers` worker
 * processes: completions per second between the first attempt starting and the last completion
 * (both stamped by Postgres, so process start-up is not counted).
 */
export async function completionsPerSecond(ctx: BenchContext, stack: EngineStack, template: EngineTemplate, workers: number): Promise<{ rate: number; ids: string[] }> {
  const n = ctx.sizes.lifecycleDeployments;
  const ids = await stack.submit(template, n);
  const set = await stack.startWorkers(workers, BRISK_POLLING);
  try {
    await stack.waitForStatus(ids, DEPLOYMENT_STATUS.CREATE_COMPLETE, completionTimeoutMs(n));
  } finally {
    await set.stop();
  }
  const [span] = await stack.sql<Array<{ seconds: number }>>`
    select extract(epoch from (select max(updated_at) from deployments where id = any(${ids}::uuid[]))
      - (select min(started_at) from deployment_attempts where deployment_id = any(${ids}::uuid[])))::float8 as seconds`;
  return { rate: n / Math.max(span.seconds, 1e-3), ids };
}

/** Completed deployments for scenarios that start from there (two workers make them). */
export async function completedDeployments(stack: EngineStack, count: number, template: EngineTemplate = 'instant'): Promise<string[]> {
  const ids = await stack.submit(template, count);
  const set = await stack.startWorkers(2, BRISK_POLLING);
  try {
    await stack.waitForStatus(ids, DEPLOYMENT_STATUS.CREATE_COMPLETE, completionTimeoutMs(count));
  } finally {
    await set.stop();
  }
  return ids;
}
