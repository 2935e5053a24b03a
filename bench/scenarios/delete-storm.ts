import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import { BRISK_POLLING, completedDeployments } from '../lib/engine-measure.js';
import { engineStack } from '../lib/engine-stack.js';
import { loadGenerator, runLoad } from '../lib/load.js';
import { round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

/** A light reader: one dashboard polling its own deployment. */
const READER_CONNECTIONS = 2;

export const deleteStorm: Scenario = {
  name: 'delete-storm',
  kind: 'product',
  unit: 'ms',
  baselineLabel: 'the same reader with nothing deleting',
  target: { on: 'ratio', op: '<=', limit: 2 },
  description:
    "CREATE_COMPLETE deployments deleted at once with 2 worker processes: another user's GET of their own deployment, p99 during the storm against idle (ratio), and the time until all are DELETE_COMPLETE.",
  prepare: (ctx) => Promise.all([engineStack(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const stack = await engineStack(ctx);
    const victims = await completedDeployments(stack, ctx.sizes.deleteStorm);
    const readerToken = await stack.api.mint('storm-reader', ['users']);
    const readerHeaders = { authorization: `Bearer ${readerToken}`, 'content-type': 'application/json' };
    await fetch(`${stack.api.url}/api/v1/users`, { method: 'POST', headers: readerHeaders });
    const created = await fetch(`${stack.api.url}/api/v1/deployments`, {
      method: 'POST',
      headers: readerHeaders,
      body: JSON.stringify({ template_id: stack.templateIds.instant, template_inputs: { vm_count: 1, admin_password: 'reader-secret' } }),
    });
    if (created.status !== 202) throw new Error(`the reader's deployment was refused: ${created.status} ${await created.text()}`);
    const readerDeployment = ((await created.json()) as { id: string }).id;
    const read = { url: `${stack.api.url}/api/v1/deployments/${readerDeployment}`, headers: readerHeaders, connections: READER_CONNECTIONS, warmupSec: 1, durationSec: ctx.sizes.durationSec };

    const workers = await stack.startWorkers(2, BRISK_POLLING);
    try {
      await stack.waitForStatus([readerDeployment], DEPLOYMENT_STATUS.CREATE_COMPLETE, 60_000);
      const idle = await runLoad(ctx, read);
      const started = performance.now();
      let deleted: number | undefined;
      const storm = (async () => {
        let next = 0;
        const lane = async () => {
          while (next < victims.length) {
            const id = victims[next++];
            const res = await fetch(`${stack.api.url}/api/v1/deployments/${id}`, { method: 'DELETE', headers: stack.api.authHeaders });
            if (res.status !== 202 && res.status !== 204) throw new Error(`DELETE answered ${res.status}: ${await res.text()}`);
          }
        };
        await Promise.all(Array.from({ length: 32 }, lane));
        await stack.waitForStatus(victims, DEPLOYMENT_STATUS.DELETE_COMPLETE, 120_000 + victims.length * 100);
        deleted = (performance.now() - started) / 1000;
      })();
      const during = await runLoad(ctx, { ...read, warmupSec: 0 });
      await storm;
      return {
        value: during.p99Ms,
        baseline: idle.p99Ms,
        p50_ms: during.p50Ms,
        p99_ms: during.p99Ms,
        extra: { deleted: victims.length, all_deleted_s: round(deleted!), idle_p50_ms: idle.p50Ms, reader_connections: READER_CONNECTIONS },
      };
    } finally {
      await workers.stop();
    }
  },
};
