import { canonicalTemplate } from './canonical-template.js';
import { checkDependencyLoops, checkFunctions } from './check-topology.js';
import { compactTypeFile } from './compact-type-file.js';
import { readImports } from './import-urls.js';
import { IssueCollector, locateIssues } from './issues.js';
import { parseInputs } from './parse-inputs.js';
import { parseNodeTemplates } from './parse-node-templates.js';
import { parseOutputs, parsePolicies } from './parse-topology-extras.js';
import { asObject, isPlainObject } from './plain.js';
import { TYPE_SECTIONS } from './type-definitions.js';
import type { TypeLibrary } from './type-library.js';
import { TypeScope } from './type-scope.js';
import type { InputTarget, ParseResult, ParsedTemplate, ToscaIssue } from './types.js';
import { parseYaml } from './yaml-source.js';

export const SUPPORTED_VERSIONS = new Set([
  'tosca_simple_yaml_1_0',
  'tosca_simple_yaml_1_1',
  'tosca_simple_yaml_1_2',
  'tosca_simple_yaml_1_3',
]);

const TOP_KEYS = new Set([
  'tosca_definitions_version',
  'tosca_default_namespace',
  'template_name',
  'template_author',
  'template_version',
  'namespace',
  'metadata',
  'description',
  'dsl_definitions',
  'repositories',
  'imports',
  'topology_template',
  ...TYPE_SECTIONS,
]);

const TOPOLOGY_KEYS = new Set([
  'description',
  'inputs',
  'node_templates',
  'relationship_templates',
  'groups',
  'policies',
  'outputs',
  'substitution_mappings',
  'workflows',
]);

export async function parseTemplate(content: string, library: TypeLibrary): Promise<ParseResult> {
  const yaml = parseYaml(content);
  if (!yaml.ok) {
    const issue = { path: '', message: `the template is not valid YAML: ${yaml.message}`, ...(yaml.line ? { line: yaml.line } : {}) };
    return { ok: false, errors: [issue] };
  }
  const source = yaml.source;
  const root = source.value;
  const issues = new IssueCollector();
  const fail = (): ParseResult => ({ ok: false, errors: locateIssues(issues.errors, source) });
  if (!isPlainObject(root)) {
    issues.error([], 'the template must be a YAML map');
    return fail();
  }
  const version = root.tosca_definitions_version;
  if (version === undefined) issues.error([], 'tosca_definitions_version is missing');
  else if (typeof version !== 'string' || !SUPPORTED_VERSIONS.has(version)) {
    issues.error(['tosca_definitions_version'], `unsupported tosca_definitions_version ${JSON.stringify(version)}; expected one of ${[...SUPPORTED_VERSIONS].join(', ')}`);
  }
  for (const key of Object.keys(root)) if (!TOP_KEYS.has(key)) issues.warn([key], `unexpected top-level key ${key}`);

  const imports = readImports(root.imports, root.repositories);
  issues.errors.push(...imports.errors);
  issues.warnings.push(...imports.warnings);
  const resolved = await library.resolveImports(imports.refs.map((r) => r.url));
  for (const e of resolved.errors) issues.error(imports.refs[e.index].path, e.message);
  for (const w of resolved.warnings) issues.warn(imports.refs[w.index].path, w.message);
  if (issues.errors.length) return fail();

  let scope = library.scopeFor(resolved.files);
  if (TYPE_SECTIONS.some((s) => isPlainObject(root[s]))) scope = new TypeScope([compactTypeFile(root, issues)], scope);

  if (!isPlainObject(root.topology_template)) {
    issues.error(['topology_template'], 'topology_template is missing or is not a map');
    return fail();
  }
  const topo = root.topology_template;
  const base = ['topology_template'];
  for (const key of Object.keys(topo)) {
    if (!TOPOLOGY_KEYS.has(key)) issues.warn([...base, key], `unexpected key ${key} in topology_template`);
  }
  const inputs = parseInputs(topo.inputs, [...base, 'inputs'], scope, source, issues);
  const relationshipTemplates = new Set(Object.keys(asObject(topo.relationship_templates)));
  const inputTargets: InputTarget[] = [];
  const nodeTemplates = parseNodeTemplates(topo.node_templates, [...base, 'node_templates'], scope, relationshipTemplates, issues, inputTargets);
  const nodeNames = new Set(Object.keys(asObject(topo.node_templates)));
  const groupNames = Array.isArray(topo.groups) ? [] : Object.keys(asObject(topo.groups));
  const outputs = parseOutputs(topo.outputs, [...base, 'outputs'], issues);
  const policies = parsePolicies(topo.policies, [...base, 'policies'], scope, new Set([...nodeNames, ...groupNames]), issues);
  const declaredInputs = new Set(Object.keys(asObject(topo.inputs)));
  const getInputUses = checkFunctions(topo, base, declaredInputs, nodeNames, issues);
  checkDependencyLoops(nodeTemplates, [...base, 'node_templates'], issues);
  if (issues.errors.length) return fail();

  const template: ParsedTemplate = {
    toscaDefinitionsVersion: version as string,
    metadata: metadataOf(root),
    inputs,
    nodeTemplates,
    outputs,
    policies,
    imports: imports.refs.map((ref, i) => ({
      ...(ref.name ? { name: ref.name } : {}),
      url: ref.url,
      resolvedFrom: resolved.roots[i]?.id ?? '',
    })),
    getInputUses,
    inputTargets: inputTargets.filter((t) => Object.hasOwn(inputs, t.input)),
    raw: canonicalTemplate(root),
  };
  const description = typeof root.description === 'string' ? root.description : topo.description;
  if (typeof description === 'string') template.description = description;
  return parsedWithWarnings(template, () => locateIssues(issues.warnings, source));
}

/** Locating warnings may run the full YAML parser for their lines, so only callers that read them pay for it. */
function parsedWithWarnings(template: ParsedTemplate, locate: () => ToscaIssue[]): ParseResult {
  let warnings: ToscaIssue[] | undefined;
  return {
    ok: true,
    template,
    get warnings() {
      warnings ??= locate();
      return warnings;
    },
  };
}

/** `metadata`, plus the TOSCA 1.0 top-level template_name/template_author/template_version when present. */
function metadataOf(root: Record<string, unknown>): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...asObject(root.metadata) };
  for (const key of ['template_name', 'template_author', 'template_version']) {
    if (root[key] !== undefined && metadata[key] === undefined) metadata[key] = root[key];
  }
  return metadata;
}
