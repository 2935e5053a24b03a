import type { Scenario } from '../lib/types.js';
import { bullmqAddRaw } from './bullmq-add-raw.js';
import { bullmqNoopRaw } from './bullmq-noop-raw.js';
import { getUser } from './get-user.js';
import { httpHelloRaw } from './http-hello-raw.js';
import { httpPgJwtRaw } from './http-pg-jwt-raw.js';
import { httpPgRaw } from './http-pg-raw.js';
import { imSimCapacity } from './im-sim-capacity.js';
import { insertRaw } from './insert-raw.js';
import { listUsers } from './list-users.js';
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
  listUsers,
  insertRaw,
  postTemplate,
  bullmqAddRaw,
  bullmqNoopRaw,
  toscaParse,
  toscaParseCorpus,
];
