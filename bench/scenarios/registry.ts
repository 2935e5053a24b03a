import type { Scenario } from '../lib/types.js';
import { bullmqAddRaw } from './bullmq-add-raw.js';
import { bullmqNoopRaw } from './bullmq-noop-raw.js';
import { deleteStorm } from './delete-storm.js';
import { getDeployment } from './get-deployment.js';
import { getUser } from './get-user.js';
import { httpHelloRaw } from './http-hello-raw.js';
import { httpPgJwtRaw } from './http-pg-jwt-raw.js';
import { httpPgRaw } from './http-pg-raw.js';
import { imSimCapacity } from './im-sim-capacity.js';
import { inFlight } from './in-flight.js';
import { insertEnqueueRaw } from './insert-enqueue-raw.js';
import { insertRaw } from './insert-raw.js';
import { lifecycle, lifecycleZeroLatency } from './lifecycle.js';
import { list1m, list1mAdmin } from './list-1m.js';
import { listUsers } from './list-users.js';
import { logIngest, logInsertRaw } from './log-ingest.js';
import { postDeploymentScenario } from './post-deployment.js';
import { postTemplate } from './post-template.js';
import { toscaParse } from './tosca-parse.js';
import { toscaParseCorpus } from './tosca-parse-corpus.js';

/**
 * Run order. Each product scenario sits right after the baseline it divides by, so the two
 * are measured close together. A new scenario is one file plus one line here.
 */
export const SCENARIOS: Scenario[] = [
  httpHelloRaw,
  imSimCapacity,
  httpPgRaw,
  httpPgJwtRaw,
  getUser,
  getDeployment,
  listUsers,
  list1m,
  list1mAdmin,
  insertRaw,
  postTemplate,
  bullmqAddRaw,
  insertEnqueueRaw,
  postDeploymentScenario,
  bullmqNoopRaw,
  lifecycleZeroLatency,
  lifecycle,
  inFlight,
  deleteStorm,
  logInsertRaw,
  logIngest,
  toscaParse,
  toscaParseCorpus,
];
