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
  /** Deployments taken from submit to CREATE_COMPLETE per lifecycle measurement. */
  lifecycleDeployments: number;
  /** Deployments held running by the simulator in the in-flight scenario. */
  inFlightDeployments: number;
  /** Seconds the in-flight worker settles into its polling pace, then is measured. */
  inFlightSettleSec: number;
  inFlightWindowSec: number;
  /** CREATE_COMPLETE deployments deleted at once. */
  deleteStorm: number;
  /** Orchestrator log lines pushed through log-ingest (and inserted raw). */
  logLines: number;
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
  lifecycleDeployments: 2_000,
  inFlightDeployments: 10_000,
  inFlightSettleSec: 60,
  inFlightWindowSec: 60,
  deleteStorm: 1_000,
  logLines: 200_000,
};

const QUICK: Sizes = {
  ...FULL,
  rounds: 1,
  warmupSec: 2,
  durationSec: 5,
  queueJobs: 5_000,
  toscaIterations: 15,
  deployments: 100_000,
  lifecycleDeployments: 200,
  inFlightDeployments: 500,
  inFlightSettleSec: 10,
  inFlightWindowSec: 10,
  deleteStorm: 200,
  logLines: 50_000,
};

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
  lifecycleDeployments: 6,
  inFlightDeployments: 10,
  inFlightSettleSec: 1,
  inFlightWindowSec: 2,
  deleteStorm: 4,
  logLines: 1_000,
};

export function sizesFor(mode: Mode): Sizes {
  return mode === 'full' ? FULL : mode === 'quick' ? QUICK : SMOKE;
}
