import { completionsPerSecond } from '../lib/engine-measure.js';
import { engineStack } from '../lib/engine-stack.js';
import { round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

export const lifecycle: Scenario = {
  name: 'lifecycle',
  kind: 'product',
  unit: 'deployments/s',
  baselineLabel: 'the same with 1 worker process',
  target: { on: 'ratio', op: '>=', limit: 1.7 },
  description:
    'Deployments from submit to CREATE_COMPLETE through the simulator answering every call in 20 ms, at a fixed worker concurrency: completions/s with 2 worker processes against 1 (the ratio is the scaling).',
  prepare: (ctx) => engineStack(ctx),
  async run(ctx) {
    const stack = await engineStack(ctx);
    const one = await completionsPerSecond(ctx, stack, 'latency', 1);
    const two = await completionsPerSecond(ctx, stack, 'latency', 2);
    return {
      value: two.rate,
      baseline: one.rate,
      extra: { one_worker: round(one.rate), two_workers: round(two.rate), deployments: ctx.sizes.lifecycleDeployments, im_latency_ms: 20, concurrency: ctx.sizes.workerConcurrency },
    };
  },
};

export const lifecycleZeroLatency: Scenario = {
  name: 'lifecycle-zero-latency',
  kind: 'product',
  unit: 'deployments/s',
  vs: 'bullmq-noop-raw',
  description: 'The same lifecycle with the simulator answering at once and 1 worker process, against bare BullMQ no-op jobs at the same concurrency.',
  prepare: (ctx) => engineStack(ctx),
  async run(ctx) {
    const { rate } = await completionsPerSecond(ctx, await engineStack(ctx), 'instant', 1);
    return { value: rate, extra: { deployments: ctx.sizes.lifecycleDeployments, concurrency: ctx.sizes.workerConcurrency } };
  },
};
