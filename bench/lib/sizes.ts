export type Mode = 'full' | 'quick' | 'smoke';

/** Every knob whose value depends on how long the run may take. */
export interface Sizes {
  rounds: number;
  warmupSec: number;
  durationSec: number;
  connections: number;
  users: number;
  /** Deployments loaded for the list-1m scenarios. */
  deployments: number;
  /** Connections of the list-1m loads: each page counts an owner's (or every) deployment. */
  listConnections: number;
  inFlight: number;
  poolMax: number;
  queueJobs: number;
  workerConcurrency: number;
  toscaNodes: number;
  toscaIterations: number;
  /** Templates of the corpus to parse; 0 means all of them. */
  corpusLimit: number;
  imInfrastructures: number;
  imClients: number;
}

const FULL: Sizes = {
  rounds: 3,
  warmupSec: 3,
  durationSec: 15,
  connections: 32,
  users: 100_000,
  deployments: 1_000_000,
  listConnections: 8,
  inFlight: 50,
  poolMax: 10,
  queueJobs: 20_000,
  workerConcurrency: 10,
  toscaNodes: 200,
  toscaIterations: 40,
  corpusLimit: 0,
  imInfrastructures: 1_000,
  imClients: 50,
};

const QUICK: Sizes = { ...FULL, rounds: 1, warmupSec: 2, durationSec: 5, queueJobs: 5_000, toscaIterations: 15, deployments: 100_000 };

const SMOKE: Sizes = {
  ...FULL,
  rounds: 1,
  warmupSec: 0.2,
  durationSec: 0.5,
  connections: 4,
  users: 500,
  deployments: 2_000,
  listConnections: 2,
  inFlight: 8,
  queueJobs: 200,
  toscaNodes: 10,
  toscaIterations: 2,
  corpusLimit: 4,
  imInfrastructures: 10,
  imClients: 4,
};

export function sizesFor(mode: Mode): Sizes {
  return mode === 'full' ? FULL : mode === 'quick' ? QUICK : SMOKE;
}
