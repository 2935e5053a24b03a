import { EvaluationError, evaluateValue } from './evaluate-functions.js';
import type { ParsedTemplate } from './types.js';

/**
 * Evaluates each output on its own: when one fails its value becomes the error message and the others still
 * resolve (as the orchestrator does).
 */
export function evaluateOutputs(
  t: ParsedTemplate,
  values: Record<string, unknown>,
  attributes: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(t.outputs)) {
    try {
      out[name] = evaluateValue(output.value, { template: t, values, attributes });
    } catch (err) {
      // A value nested deeper than the stack allows surfaces as a RangeError; it fails this output only.
      if (err instanceof RangeError) out[name] = `Failed to evaluate outputs[${name}]: the value is nested too deeply`;
      else if (err instanceof EvaluationError) out[name] = `Failed to evaluate outputs[${name}]: ${err.message}`;
      else throw err;
    }
  }
  return out;
}
