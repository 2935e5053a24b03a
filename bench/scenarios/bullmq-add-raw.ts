import { measureBullmq } from '../lib/bullmq-raw.js';
import type { Scenario } from '../lib/types.js';

export const bullmqAddRaw: Scenario = {
  name: 'bullmq-add-raw',
  kind: 'raw',
  unit: 'jobs/s',
  description: 'Bare BullMQ Queue.add of id-only jobs with deterministic job ids, 50 in flight.',
  run: (ctx) => measureBullmq(ctx, 'add'),
};
