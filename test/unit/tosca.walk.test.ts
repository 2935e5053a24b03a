import { beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult, ToscaEngine } from '../../src/tosca/index.js';
import { manifest, readShared, sharedToscaEngine, templateFilesOnDisk } from './tosca/fixtures.js';

/** Templates the engine must reject, with the reason a user sees. */
const REJECTED: Record<string, RegExp> = {
  'templates/infn-orchestrator-tests/chronos_tosca_generator.yaml': /^the template is not valid YAML: /,
  'templates/infn-orchestrator-tests/galaxy_tosca_clues_error.yaml':
    /^node template torque_wn has an unknown node type tosca\.nodes\.indigo\.Comput$/,
};

/** Tags that describe a defect a strict validator reports: accepted with a warning naming node and property. */
const WARNED_TAGS: Record<string, RegExp> = {
  UNDECLARED_PROPERTY: /sets \w+, which \S+ does not declare/,
  UNDECLARED_CAPABILITY_PROPERTY: /capability \w+ of node template \S+ sets \w+, which \S+ does not declare/,
  UNDECLARED_REQUIREMENT: /uses requirement \w+, which \S+ does not declare/,
  MISSING_REQUIRED_PROPERTY: /node template \S+ does not set the required property \w+/,
  UNKNOWN_NODE_TEMPLATE_KEY: /node template \S+ has an unexpected key scalable/,
  POLICY_PROPERTY_MISMATCH: /policy \S+ (sets \w+, which|does not set the required property)/,
  DEFAULT_TYPE_MISMATCH: /default of input \w+ does not fit its type/,
};

describe('the whole shared template folder', () => {
  const results = new Map<string, ParseResult>();
  let engine: ToscaEngine;

  beforeAll(async () => {
    engine = await sharedToscaEngine();
    for (const file of templateFilesOnDisk()) results.set(file, await engine.parse(readShared(file)));
  });

  it('has a manifest entry for every template on disk', () => {
    expect(templateFilesOnDisk()).toEqual(manifest.templates.map((t) => t.file).sort());
  });

  it('accepts 124 templates and rejects 2, each for its named reason', () => {
    const accepted: string[] = [];
    const rejected: string[] = [];
    for (const [file, result] of results) {
      if (result.ok) {
        accepted.push(file);
        expect(REJECTED[file], `${file} should have been rejected`).toBeUndefined();
      } else {
        rejected.push(file);
        const reason = REJECTED[file];
        expect(reason, `${file} was rejected: ${JSON.stringify(result.errors)}`).toBeDefined();
        expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(reason as RegExp)]);
      }
    }
    console.info(`TOSCA walk: ${results.size} templates, ${accepted.length} accepted, ${rejected.length} rejected`);
    expect({ total: results.size, accepted: accepted.length, rejected: rejected.length }).toEqual({
      total: 126,
      accepted: 124,
      rejected: 2,
    });
  });

  it('rejects every template the data set tags as malformed, and accepts every other one', () => {
    for (const t of manifest.templates) {
      const malformed = t.tags.includes('YAML_SYNTAX_ERROR') || t.tags.includes('UNKNOWN_NODE_TYPE');
      expect(results.get(t.file)?.ok, t.file).toBe(!malformed);
    }
  });

  it('points at the line of the problem in rejected templates', () => {
    const yaml = results.get('templates/infn-orchestrator-tests/chronos_tosca_generator.yaml');
    const unknownType = results.get('templates/infn-orchestrator-tests/galaxy_tosca_clues_error.yaml');
    expect(yaml).toMatchObject({ ok: false, errors: [{ path: '', line: 25 }] });
    expect(unknownType).toMatchObject({
      ok: false,
      errors: [{ path: 'topology_template.node_templates.torque_wn.type', line: 56 }],
    });
  });

  it('accepts the strict-validation defects leniently, with a warning naming the node and property', () => {
    let checked = 0;
    for (const t of manifest.templates) {
      for (const tag of t.tags.filter((x) => x in WARNED_TAGS)) {
        const result = results.get(t.file);
        if (!result?.ok) throw new Error(`${t.file} was rejected`);
        expect(result.warnings.map((w) => w.message), `${t.file} ${tag}`).toContainEqual(expect.stringMatching(WARNED_TAGS[tag]));
        checked++;
      }
    }
    expect(checked).toBe(12);
  });

  it('warns with the exact node and property for an undeclared property', () => {
    const result = results.get('templates/indigo-dc/simple-node.yml');
    expect(result?.ok && result.warnings).toContainEqual({
      path: 'topology_template.node_templates.simple_node.properties.zabbix_server',
      line: 65,
      message: 'node template simple_node sets zabbix_server, which tosca.nodes.indigo.Compute does not declare',
    });
  });

  it('accepts integers given for float properties without a warning', () => {
    for (const t of manifest.templates.filter((x) => x.tags.includes('INT_WHERE_FLOAT_EXPECTED'))) {
      const result = results.get(t.file);
      expect(result?.ok, t.file).toBe(true);
      expect(result?.ok && result.warnings, t.file).toEqual([]);
    }
  });

  it('picks the deployment type of every accepted template as the Java orchestrator does', async () => {
    const { deploymentType } = await import('../../src/tosca/index.js');
    for (const t of manifest.templates) {
      const result = results.get(t.file);
      if (result?.ok) expect(deploymentType(result.template), t.file).toBe(t.deployment_type);
    }
  });
});
