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

/** Reduces a loaded type-definition document to the compact form (descriptions and interfaces dropped). */
export function compactTypeFile(doc: unknown): TypeFile {
  const root = asObject(doc);
  const types: Partial<Record<TypeSection, Record<string, TypeDef>>> = {};
  for (const section of TYPE_SECTIONS) {
    const defs = root[section];
    if (!isPlainObject(defs)) continue;
    const out: Record<string, TypeDef> = {};
    for (const [name, def] of Object.entries(defs)) out[name] = compactTypeDef(asObject(def));
    types[section] = out;
  }
  const file: TypeFile = { imports: Array.isArray(root.imports) ? root.imports : [], types };
  if (isPlainObject(root.repositories)) file.repositories = root.repositories;
  return file;
}

function compactTypeDef(def: PlainObject): TypeDef {
  const out: TypeDef = {};
  if (typeof def.derived_from === 'string') out.derived_from = def.derived_from;
  const properties = compactProperties(def.properties);
  if (properties) out.properties = properties;
  if (isPlainObject(def.attributes)) {
    const names = Object.keys(def.attributes);
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
  if (Array.isArray(def.constraints) && def.constraints.length) out.constraints = def.constraints;
  return out;
}

function compactProperties(raw: unknown): Record<string, PropertyDef> | undefined {
  if (!isPlainObject(raw)) return undefined;
  const out: Record<string, PropertyDef> = {};
  for (const [name, value] of Object.entries(raw)) {
    const p = asObject(value);
    const prop: PropertyDef = { type: typeof p.type === 'string' ? p.type : 'string' };
    if (p.required === false) prop.required = false;
    if ('default' in p) prop.default = p.default;
    if (Array.isArray(p.constraints) && p.constraints.length) prop.constraints = p.constraints;
    if (p.entry_schema !== undefined) prop.entry_schema = p.entry_schema;
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
