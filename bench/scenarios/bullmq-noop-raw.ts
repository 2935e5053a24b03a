import { measureBullmq } from '../lib/bullmq-raw.js';
import type { Scenario } from '../lib/types.js';

export const bullmqNoopRaw: Scenario = {
  name: 'bullmq-noop-raw',
  kind: 'raw',
  unit: 'jobs/s',
  description: 'Bare BullMQ Worker draining a pre-filled queue with a no-op processor at the default worker concurrency (10).',
  run: (ctx) => measureBullmq(ctx, 'noop'),
};
