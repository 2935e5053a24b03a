import type { CapabilityDef, PropertyDef, RequirementDef, TypeDef, TypeFile, TypeSection } from './type-definitions.js';

const SHORT_PREFIX: Record<TypeSection, string> = {
  node_types: 'tosca.nodes.',
  capability_types: 'tosca.capabilities.',
  data_types: 'tosca.datatypes.',
  relationship_types: 'tosca.relationships.',
  policy_types: 'tosca.policies.',
  artifact_types: 'tosca.artifacts.',
  interface_types: 'tosca.interfaces.',
  group_types: 'tosca.groups.',
};

export const PRIMITIVE_TYPES = new Set([
  'string',
  'integer',
  'float',
  'boolean',
  'timestamp',
  'null',
  'version',
  'range',
  'list',
  'map',
  'scalar-unit.size',
  'scalar-unit.time',
  'scalar-unit.frequency',
  'scalar-unit.bitrate',
]);

export interface Ancestry {
  /** The type itself first, then its parents. */
  chain: string[];
  /** A parent named in `derived_from` that no loaded file defines. */
  missingParent?: string;
  /** For data types: the primitive the chain ends in, if any. */
  primitive?: string;
}

/**
 * The types visible to one template: later files override earlier ones by name. Lookups are cached, so a
 * scope shared by many parses pays for ancestry and inheritance once.
 */
export class TypeScope {
  private readonly defs = new Map<TypeSection, Map<string, TypeDef>>();
  private readonly ancestryCache = new Map<string, Ancestry>();
  private readonly propsCache = new Map<string, Record<string, PropertyDef>>();
  private readonly capsCache = new Map<string, Record<string, CapabilityDef>>();
  private readonly reqsCache = new Map<string, RequirementDef[]>();
  private readonly attrsCache = new Map<string, Set<string>>();

  constructor(
    files: ReadonlyArray<TypeFile>,
    private readonly parent?: TypeScope,
  ) {
    for (const file of files) {
      for (const [section, defs] of Object.entries(file.types) as Array<[TypeSection, Record<string, TypeDef>]>) {
        let table = this.defs.get(section);
        if (!table) this.defs.set(section, (table = new Map()));
        for (const [name, def] of Object.entries(defs)) table.set(name, def);
      }
    }
  }

  get(section: TypeSection, name: string): TypeDef | undefined {
    return this.defs.get(section)?.get(name) ?? this.parent?.get(section, name);
  }

  /** The full name for `name`, accepting short forms (`BlockStorage`, `tosca:BlockStorage`). */
  resolveName(section: TypeSection, name: string): string | undefined {
    if (this.get(section, name)) return name;
    const bare = name.startsWith('tosca:') ? name.slice('tosca:'.length) : name;
    if (bare !== name && this.get(section, bare)) return bare;
    const long = SHORT_PREFIX[section] + bare;
    return this.get(section, long) ? long : undefined;
  }

  ancestry(section: TypeSection, name: string): Ancestry {
    const key = `${section}\u0000${name}`;
    const hit = this.ancestryCache.get(key);
    if (hit) return hit;
    const chain: string[] = [];
    const result: Ancestry = { chain };
    let current: string | undefined = name;
    while (current !== undefined) {
      if (chain.includes(current)) break;
      if (section === 'data_types' && PRIMITIVE_TYPES.has(current)) {
        result.primitive = current;
        break;
      }
      const resolved = this.resolveName(section, current);
      if (!resolved) {
        if (chain.length) result.missingParent = current;
        break;
      }
      chain.push(resolved);
      current = this.get(section, resolved)?.derived_from;
    }
    this.ancestryCache.set(key, result);
    return result;
  }

  /** Properties declared along the chain; the most derived definition of a name wins. */
  properties(section: TypeSection, name: string): Record<string, PropertyDef> {
    return this.inherited(this.propsCache, section, name, (def, acc) => Object.assign(acc, def.properties), {});
  }

  capabilities(nodeType: string): Record<string, CapabilityDef> {
    return this.inherited(this.capsCache, 'node_types', nodeType, (def, acc) => {
      for (const [capName, cap] of Object.entries(def.capabilities ?? {})) {
        const previous = acc[capName];
        acc[capName] = {
          type: cap.type || previous?.type || '',
          properties: { ...previous?.properties, ...cap.properties },
        };
      }
      return acc;
    }, {});
  }

  requirements(nodeType: string): RequirementDef[] {
    return this.inherited(this.reqsCache, 'node_types', nodeType, (def, acc) => {
      for (const req of def.requirements ?? []) {
        const at = acc.findIndex((r) => r.name === req.name);
        if (at >= 0) acc[at] = { ...acc[at], ...req };
        else acc.push(req);
      }
      return acc;
    }, []);
  }

  attributes(nodeType: string): Set<string> {
    return this.inherited(this.attrsCache, 'node_types', nodeType, (def, acc) => {
      for (const a of def.attributes ?? []) acc.add(a);
      return acc;
    }, new Set<string>());
  }

  private inherited<T>(
    cache: Map<string, T>,
    section: TypeSection,
    name: string,
    merge: (def: TypeDef, acc: T) => T,
    seed: T,
  ): T {
    const key = `${section}\u0000${name}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let acc = seed;
    const chain = this.ancestry(section, name).chain;
    for (let i = chain.length - 1; i >= 0; i--) {
      const def = this.get(section, chain[i]);
      if (def) acc = merge(def, acc);
    }
    cache.set(key, acc);
    return acc;
  }
}
