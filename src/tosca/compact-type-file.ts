import { clausesAsList, constraintClauses, IGNORED_ISSUES, withListConstraints, type IssueSink } from './constraint-clauses.js';
import type { Segment } from './issues.js';
import { asObject, isPlainObject, singleKeyEntries, type PlainObject } from './plain.js';
import {
  TYPE_SECTIONS,
  type CapabilityDef,
  type PropertyDef,
  type RequirementDef,
  type TypeDef,
  type TypeFile,
  type TypeSection,
} from './type-definitions.js';

/**
 * Reduces a loaded type-definition document to the compact form (descriptions and interfaces dropped).
 * Constraints are stored in the grammar's list form whatever shape they were written in; `issues` hears
 * about lenient readings and malformed constraints, at paths from the document root.
 */
export function compactTypeFile(doc: unknown, issues: IssueSink = IGNORED_ISSUES): TypeFile {
  const root = asObject(doc);
  const types: Partial<Record<TypeSection, Record<string, TypeDef>>> = {};
  for (const section of TYPE_SECTIONS) {
    const defs = root[section];
    if (!isPlainObject(defs)) continue;
    const out: Record<string, TypeDef> = {};
    for (const [name, def] of Object.entries(defs)) out[name] = compactTypeDef(asObject(def), [section, name], issues);
    types[section] = out;
  }
  // Imports stay as written: readImports reads (and reports) every shape they may take.
  const file: TypeFile = { imports: root.imports ?? [], types };
  if (isPlainObject(root.repositories)) file.repositories = root.repositories;
  return file;
}

function compactTypeDef(def: PlainObject, path: Segment[], issues: IssueSink): TypeDef {
  const out: TypeDef = {};
  if (typeof def.derived_from === 'string') out.derived_from = def.derived_from;
  const properties = compactProperties(def.properties, [...path, 'properties'], issues);
  if (properties) out.properties = properties;
  if (isPlainObject(def.attributes)) {
    const names = Object.keys(def.attributes);
    // Only names are kept, but their constraints are still read so a lenient shape is reported like anywhere else.
    for (const name of names) constraintClauses(asObject(def.attributes[name]).constraints, [...path, 'attributes', name, 'constraints'], issues);
    if (names.length) out.attributes = names;
  }
  if (isPlainObject(def.capabilities)) {
    const caps: Record<string, CapabilityDef> = {};
    for (const [name, raw] of Object.entries(def.capabilities)) {
      const cap = typeof raw === 'string' ? { type: raw } : asObject(raw);
      const entry: CapabilityDef = { type: String(cap.type ?? '') };
      if (isPlainObject(cap.properties) && Object.keys(cap.properties).length) entry.properties = cap.properties;
      caps[name] = entry;
    }
    if (Object.keys(caps).length) out.capabilities = caps;
  }
  const requirements = compactRequirements(def.requirements);
  if (requirements.length) out.requirements = requirements;
  const constraints = compactConstraints(def.constraints, [...path, 'constraints'], issues);
  if (constraints) out.constraints = constraints;
  return out;
}

function compactConstraints(raw: unknown, path: Segment[], issues: IssueSink): unknown[] | undefined {
  const list = clausesAsList(constraintClauses(raw, path, issues));
  return list.length ? list : undefined;
}

function compactProperties(raw: unknown, path: Segment[], issues: IssueSink): Record<string, PropertyDef> | undefined {
  if (!isPlainObject(raw)) return undefined;
  const out: Record<string, PropertyDef> = {};
  for (const [name, value] of Object.entries(raw)) {
    const p = asObject(value);
    const prop: PropertyDef = { type: typeof p.type === 'string' ? p.type : 'string' };
    if (p.required === false) prop.required = false;
    if ('default' in p) prop.default = p.default;
    const constraints = compactConstraints(p.constraints, [...path, name, 'constraints'], issues);
    if (constraints) prop.constraints = constraints;
    // An entry_schema keeps its shape; only its constraints (at any depth) are put in list form.
    if (isPlainObject(p.entry_schema)) prop.entry_schema = withListConstraints(p.entry_schema, [...path, name, 'entry_schema'], issues);
    else if (p.entry_schema !== undefined) prop.entry_schema = p.entry_schema;
    out[name] = prop;
  }
  return Object.keys(out).length ? out : undefined;
}

function compactRequirements(raw: unknown): RequirementDef[] {
  const out: RequirementDef[] = [];
  for (const [name, value] of singleKeyEntries(raw)) {
    const r = typeof value === 'string' ? { capability: value } : asObject(value);
    const req: RequirementDef = { name };
    if (typeof r.capability === 'string') req.capability = r.capability;
    if (typeof r.node === 'string') req.node = r.node;
    const rel = isPlainObject(r.relationship) ? r.relationship.type : r.relationship;
    if (typeof rel === 'string') req.relationship = rel;
    if (Array.isArray(r.occurrences)) req.occurrences = r.occurrences;
    out.push(req);
  }
  return out;
}
