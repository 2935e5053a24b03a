export { buildImAuthHeader, redactAuthHeader } from './auth-header.js';
export { parseImAuthHeader, type AuthLine } from './auth-parse.js';
export { createImClient } from './client.js';
export { ImError, isImError, type ImErrorInit, type ImErrorKind } from './errors.js';
export { infIdFromUri, vmIdFromUri } from './parse-answers.js';
export { classifyDeployState, parseInfraState, toImState, type ImStateClass } from './parse-state.js';
export { parseVmInfo } from './parse-vm-info.js';
export { redactOutputs } from './redact-outputs.js';
export { isRadlSecretKey, redactRadl, redactRadlJson } from './redact-radl.js';
export { MASK, redactText } from './redact-text.js';
export { redactTosca } from './redact-tosca.js';
export { backoffDelay, withRetry, type RetryPolicy } from './retry.js';
export { IM_TRACER_NAME } from './tracing.js';
export {
  IM_STATES,
  type CloudLine,
  type ImAttempt,
  type ImCallObserver,
  type CreatedInfrastructure,
  type ImCallContext,
  type ImClient,
  type ImClientOptions,
  type ImCredentials,
  type ImStateName,
  type InfraState,
  type RadlAspect,
  type VmInfo,
  type VmState,
} from './types.js';
