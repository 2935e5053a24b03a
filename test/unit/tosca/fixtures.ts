import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createToscaEngine, type ParsedTemplate, type ToscaEngine } from '../../../src/tosca/index.js';
import { SHARED_TOSCA_DIR, SHARED_TYPES_DIR, sharedToscaEngine } from '../../helpers/tosca.js';

export { SHARED_TOSCA_DIR, SHARED_TYPES_DIR, sharedToscaEngine };

export interface ManifestResource {
  name: string;
  type: string;
  parents: string[];
  requires: Array<{ requirement: string; node: string }>;
  required_by: string[];
  scalable_count: number | { get_input: string; default: number };
}

export interface ManifestTemplate {
  file: string;
  yaml_ok: boolean;
  deployment_type: string;
  tags: string[];
  inputs?: { required_without_default: string[]; with_default: string[] };
  policies: Array<{ name: string; type: string; targets?: string[]; properties?: string[] }>;
  resources?: ManifestResource[];
}

export const manifest = JSON.parse(readFileSync(join(SHARED_TOSCA_DIR, 'manifest.json'), 'utf8')) as {
  templates: ManifestTemplate[];
};

/** Template files found on disk (relative to the shared tosca folder), sorted. */
export function templateFilesOnDisk(): string[] {
  const root = join(SHARED_TOSCA_DIR, 'templates');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/i.test(f))
    .map((f) => relative(SHARED_TOSCA_DIR, join(root, f)).split('\\').join('/'))
    .sort();
}

export function readShared(file: string): string {
  return readFileSync(join(SHARED_TOSCA_DIR, file), 'utf8');
}

/** Parses a shared template with the shared types; fails the test with the errors when it is rejected. */
export async function parseShared(file: string, engine?: ToscaEngine): Promise<ParsedTemplate> {
  const result = await (engine ?? (await sharedToscaEngine())).parse(readShared(file));
  if (!result.ok) throw new Error(`${file} was rejected: ${JSON.stringify(result.errors)}`);
  return result.template;
}

let builtinOnly: ToscaEngine | undefined;

/** An engine with only the built-in registry (no TOSCA_TYPES_DIR). */
export function builtinEngine(): ToscaEngine {
  builtinOnly ??= createToscaEngine();
  return builtinOnly;
}

/** Parses inline YAML with the built-in registry, failing the test when it is rejected. */
export async function parseInline(yaml: string): Promise<ParsedTemplate> {
  const result = await builtinEngine().parse(yaml);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.errors)}`);
  return result.template;
}

export const HEADER = `tosca_definitions_version: tosca_simple_yaml_1_0
imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
`;
