/** A problem found in a template or in user inputs; `path` is dotted (`topology_template.node_templates.web.type`). */
export interface ToscaIssue {
  path: string;
  line?: number;
  message: string;
}

/** One type-definition file handed to the engine, `source` being its path relative to the types folder. */
export interface ToscaTypeFileSource {
  source: string;
  content: string;
}

export interface ToscaEngineOptions {
  /** Files from TOSCA_TYPES_DIR; they take precedence over the built-in registry for the same path. */
  extraTypeFiles?: ToscaTypeFileSource[];
  /** Remote import fetcher; only set when remote imports are enabled. */
  fetchImport?: (url: string) => Promise<string>;
}

export interface ToscaEngine {
  parse(content: string): Promise<ParseResult>;
}

export type ParseResult =
  | { ok: true; template: ParsedTemplate; warnings: ToscaIssue[] }
  | { ok: false; errors: ToscaIssue[] };

export interface Constraint {
  operator: string;
  value: unknown;
}

export interface EntrySchema {
  type: string;
  /** The primitive the type reduces to, when it differs from `type`. */
  baseType?: string;
  constraints?: Constraint[];
  entry_schema?: EntrySchema;
  /** For a complex data type: its fields (the data type's properties), each checked where a value sets it. */
  fields?: Record<string, FieldSpec>;
}

/** What a value of one field of a complex data type must satisfy. */
export interface FieldSpec {
  baseType: string;
  constraints?: Constraint[];
  entry_schema?: EntrySchema;
  fields?: Record<string, FieldSpec>;
}

export interface InputDefinition {
  type: string;
  /** The primitive the type reduces to (a data type derived from `integer` gives `integer`; other data types give `map`). */
  baseType: string;
  description?: string;
  default?: unknown;
  required: boolean;
  constraints: Constraint[];
  entry_schema?: EntrySchema;
  /** For a complex data type: its fields (the data type's properties). */
  fields?: Record<string, FieldSpec>;
  metadata?: Record<string, unknown>;
  secret: boolean;
}

export interface RequirementAssignment {
  name: string;
  node?: string;
  capability?: string;
  relationship?: string | { type?: string; properties?: Record<string, unknown> };
}

export interface NodeTemplate {
  name: string;
  /** Full type name (short forms such as `BlockStorage` are expanded). */
  type: string;
  /** The type and its parents, most specific first, ending at the root type. */
  ancestry: string[];
  properties: Record<string, unknown>;
  capabilities: Record<string, { properties: Record<string, unknown> }>;
  requirements: RequirementAssignment[];
  artifacts: Record<string, unknown>;
  interfaces: Record<string, unknown>;
  /** Property defaults declared by the type chain, used by get_property when the template does not set one. */
  propertyDefaults: Record<string, unknown>;
}

export interface PolicyDefinition {
  name: string;
  type: string;
  properties: Record<string, unknown>;
  targets: string[];
}

export interface GetInputUse {
  input: string;
  /** Segments below `topology_template`, e.g. `['node_templates','srv','capabilities','host','properties','num_cpus']`. */
  path: Array<string | number>;
}

/** A property set by a bare get_input: the input's value must also satisfy the property's definition. */
export interface InputTarget {
  input: string;
  spec: FieldSpec;
  /** e.g. `property size of node template storage`. */
  target: string;
}

export interface ParsedTemplate {
  toscaDefinitionsVersion: string;
  metadata: Record<string, unknown>;
  description?: string;
  inputs: Record<string, InputDefinition>;
  nodeTemplates: Record<string, NodeTemplate>;
  outputs: Record<string, { description?: string; value: unknown }>;
  policies: PolicyDefinition[];
  /** Resolved imports: the URL or name as written and the type file it was read from. */
  imports: Array<{ name?: string; url: string; resolvedFrom: string }>;
  getInputUses: GetInputUse[];
  inputTargets: InputTarget[];
  raw: unknown;
}

export interface ResourceDescriptor {
  name: string;
  type: string;
  /** The node type followed by its parents, e.g. `tosca.nodes.indigo.Compute`, `tosca.nodes.Compute`, `tosca.nodes.Root`. */
  ancestry: string[];
  requires: string[];
  requiredBy: string[];
  isCompute: boolean;
  count: number;
}

export interface FlavourSpec {
  name: string;
  cpus: number;
  /** Memory in MiB, as cloud providers list flavours. */
  memMb: number;
  /** Disk in GiB. */
  diskGb?: number;
  gpus?: number;
}

/** Provider data that renderForIm writes into compute nodes. */
export interface ProviderRendering {
  provider: string;
  region?: string;
  /** Template image name (or `distribution:version`, or `distribution`) → provider image URI. */
  images?: Record<string, string>;
  /** Image used for compute nodes that name none. */
  defaultImage?: string;
  /** Template instance_type → provider flavour name. */
  flavours?: Record<string, string>;
  /** Flavours to choose from (smallest that fits) for compute nodes without an instance_type. */
  flavourCatalogue?: FlavourSpec[];
}

export interface FormInput {
  name: string;
  type: string;
  description?: string;
  default?: unknown;
  required: boolean;
  constraints: unknown[];
  entry_schema?: unknown;
  secret: boolean;
}

export type DeploymentType = 'TOSCA' | 'CHRONOS' | 'MARATHON' | 'QCG' | 'KUBERNETES_HELM_CHART';
