/** Compact, JSON-safe form of a TOSCA type-definition file: what the engine needs, nothing descriptive. */
export interface PropertyDef {
  type: string;
  /** Absent means true (the TOSCA default). */
  required?: boolean;
  default?: unknown;
  constraints?: unknown[];
  entry_schema?: unknown;
}

export interface CapabilityDef {
  type: string;
  properties?: Record<string, unknown>;
}

export interface RequirementDef {
  name: string;
  capability?: string;
  node?: string;
  relationship?: string;
  occurrences?: unknown[];
}

export interface TypeDef {
  derived_from?: string;
  properties?: Record<string, PropertyDef>;
  attributes?: string[];
  capabilities?: Record<string, CapabilityDef>;
  requirements?: RequirementDef[];
  constraints?: unknown[];
}

export const TYPE_SECTIONS = [
  'node_types',
  'capability_types',
  'data_types',
  'relationship_types',
  'policy_types',
  'artifact_types',
  'interface_types',
  'group_types',
] as const;

export type TypeSection = (typeof TYPE_SECTIONS)[number];

export interface TypeFile {
  /** As written: normally a list, see readImports. */
  imports: unknown;
  repositories?: Record<string, unknown>;
  types: Partial<Record<TypeSection, Record<string, TypeDef>>>;
}
