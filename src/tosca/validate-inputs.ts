import { checkValue } from './check-value.js';
import { isPlainObject } from './plain.js';
import type { ParsedTemplate, ToscaIssue } from './types.js';

export type InputValidation = { ok: true; values: Record<string, unknown> } | { ok: false; errors: ToscaIssue[] };

/**
 * Validates user inputs against the template: unknown names, required inputs, types and constraints. Every
 * problem is reported, one issue per input (path `inputs.<name>`). `values` holds the coerced user values and
 * the defaults of inputs the user did not give; a template default is applied as written (it was checked,
 * with a warning, when the template was parsed). A value must also satisfy every property it is the value of
 * (see checkPropertyAssignments). Finally every get_input of node_templates must have a value.
 */
export function validateInputs(t: ParsedTemplate, userInputs: unknown): InputValidation {
  const errors: ToscaIssue[] = [];
  if (userInputs !== undefined && userInputs !== null && !isPlainObject(userInputs)) {
    return { ok: false, errors: [{ path: 'inputs', message: 'inputs must be a map of input names to values' }] };
  }
  const given = (userInputs ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(t.inputs, name)) errors.push({ path: `inputs.${name}`, message: `Input <${name}> is not declared by the template` });
  }
  for (const [name, def] of Object.entries(t.inputs)) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined || value === null) {
      if (def.default !== undefined) {
        const coerced = checkValue(def, def.default);
        values[name] = coerced.ok ? coerced.value : def.default;
      } else if (def.required) {
        errors.push({
          path: `inputs.${name}`,
          message: `Input <${name}> is required and is not present in the user's input list, nor has a default value`,
        });
      }
      continue;
    }
    const checked = checkValue(def, value, { secret: def.secret });
    if (checked.ok) values[name] = checked.value;
    else errors.push({ path: `inputs.${name}`, message: `Input <${name}> is invalid: ${checked.reason}` });
  }
  const reported = new Set(errors.map((e) => e.path.slice('inputs.'.length)));
  for (const { input, spec, target } of t.inputTargets) {
    if (reported.has(input) || !Object.hasOwn(values, input)) continue;
    const checked = checkValue(spec, values[input], { secret: t.inputs[input]?.secret });
    if (checked.ok) continue;
    reported.add(input);
    errors.push({ path: `inputs.${input}`, message: `Input <${input}> is invalid for ${target}: ${checked.reason}` });
  }
  for (const use of t.getInputUses) {
    if (Object.hasOwn(values, use.input) || reported.has(use.input)) continue;
    reported.add(use.input);
    const where = bracketPath([...use.path, 'get_input', use.input]);
    errors.push({
      path: `inputs.${use.input}`,
      message: `Failed to evaluate ${where}: No input provided for <${use.input}> and no default value provided in the definition`,
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

/** The Java orchestrator's path notation: `node_templates[srv][capabilities][host]`. */
function bracketPath(path: Array<string | number>): string {
  const [head, ...rest] = path;
  return `${head}${rest.map((s) => `[${s}]`).join('')}`;
}

