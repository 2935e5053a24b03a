export { aggregateInfraState, type AggregateInput } from './aggregate-state.js';
export { createImSimulatorApp, createSimEnv } from './app.js';
export type { ImSimulatorOptions, SimEnv, SimMode } from './env.js';
export { createUuidV1Generator } from './ids.js';
export { parseScenario, SCENARIO_NAMES, ScenarioError, type Scenario, type ScenarioName } from './scenario.js';
export { createSimStore, type FaultRule, type RecordedRequest, type SimStore } from './store.js';
export { FAST_TIMINGS, REALISTIC_TIMINGS, resolveTimings, type SimSpeed, type SimTimings } from './timings.js';
export { parseImSimConfig, type ImSimConfig } from './sim-config.js';
