import { checkValue } from './check-value.js';
import { asFunctionCall, containsFunctionCall, getInputName } from './functions.js';
import type { IssueCollector, Segment } from './issues.js';
import type { PropertyDef } from './type-definitions.js';
import type { TypeScope } from './type-scope.js';
import type { FieldSpec, InputTarget } from './types.js';
import { propertyValueSpec } from './value-spec.js';

/** Specs per scope and definition: a scope is shared by many parses, its definitions are stable objects. */
const specCache = new WeakMap<TypeScope, WeakMap<PropertyDef, FieldSpec | null>>();

function specOf(def: PropertyDef, scope: TypeScope): FieldSpec | undefined {
  let byDef = specCache.get(scope);
  if (!byDef) specCache.set(scope, (byDef = new WeakMap()));
  let spec = byDef.get(def);
  if (spec === undefined) byDef.set(def, (spec = propertyValueSpec(def, scope) ?? null));
  return spec ?? undefined;
}

export interface PropertyOwner {
  /** How problems name the owner, e.g. `node template vm` or `capability host of node template vm`. */
  label: string;
  path: Segment[];
}

/**
 * Checks property assignments against their definitions (type, the type chain's constraints, its own
 * constraints, entry_schema, data type fields). A literal value that breaks them is an error; a property set
 * by a bare get_input is remembered, so the input's value is checked against it when a deployment gives it.
 * Values built by other functions are known only at deployment and are not checked.
 */
export function checkPropertyAssignments(
  owner: PropertyOwner,
  assigned: Record<string, unknown>,
  declared: Record<string, PropertyDef>,
  scope: TypeScope,
  issues: IssueCollector,
  inputTargets: InputTarget[],
): void {
  for (const [prop, value] of Object.entries(assigned)) {
    const def = declared[prop];
    if (!def || value === null || value === undefined) continue;
    const spec = specOf(def, scope);
    if (!spec) continue;
    const call = asFunctionCall(value);
    if (call) {
      const input = call.name === 'get_input' && !Array.isArray(call.args) ? getInputName(call.args) : undefined;
      if (input !== undefined) inputTargets.push({ input, spec, target: `property ${prop} of ${owner.label}` });
      continue;
    }
    if (containsFunctionCall(value)) continue;
    const checked = checkValue(spec, value);
    if (!checked.ok) issues.error([...owner.path, prop], `property ${prop} of ${owner.label} is invalid: ${checked.reason}`);
  }
}
