export type {
  ToscaIssue,
  ToscaTypeFileSource,
  ToscaEngineOptions,
  ToscaEngine,
  ParseResult,
  ParsedTemplate,
  InputDefinition,
  EntrySchema,
  Constraint,
  NodeTemplate,
  RequirementAssignment,
  PolicyDefinition,
  GetInputUse,
  ResourceDescriptor,
  ProviderRendering,
  FlavourSpec,
  FormInput,
  DeploymentType,
} from './types.js';
export { createToscaEngine } from './engine.js';
export { validateInputs, type InputValidation } from './validate-inputs.js';
export { maskSecretInputs, isSecretInputName, MASK } from './secrets.js';
export { deriveResources } from './resources.js';
export { applyInputs } from './apply-inputs.js';
export { renderForIm, RenderError } from './render-for-im.js';
export { evaluateOutputs } from './evaluate-outputs.js';
export { evaluateValue, EvaluationError, type EvaluationContext } from './evaluate-functions.js';
export { inputsForForm } from './inputs-for-form.js';
export { deploymentType } from './deployment-type.js';
export { slaPlacements, type SlaPlacement } from './policies.js';
