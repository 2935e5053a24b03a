import type { TypeDef, TypeFile, TypeSection } from '../type-definitions.js';
import { DEFINITIONS } from './definitions.js';
import { FILES } from './files.js';

export { NORMATIVE_SOURCE } from './sources.js';

const materialized = new Map<string, TypeFile>();

/** A built-in type file by its path relative to the types folder (e.g. `indigo/custom_types.yaml`). */
export function builtinTypeFile(source: string): TypeFile | undefined {
  const hit = materialized.get(source);
  if (hit) return hit;
  const pooled = FILES[source];
  if (!pooled) return undefined;
  const types: Partial<Record<TypeSection, Record<string, TypeDef>>> = {};
  for (const [section, refs] of Object.entries(pooled.types) as Array<[TypeSection, Record<string, number>]>) {
    const defs: Record<string, TypeDef> = {};
    for (const [name, at] of Object.entries(refs)) defs[name] = DEFINITIONS[at];
    types[section] = defs;
  }
  const file: TypeFile = { imports: pooled.imports, types };
  if (pooled.repositories) file.repositories = pooled.repositories;
  materialized.set(source, file);
  return file;
}
