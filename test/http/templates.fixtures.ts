import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SHARED_TOSCA_DIR } from '../helpers/tosca.js';
import type { TestApp } from '../helpers/test-app.js';

export function sharedTemplate(file: string): string {
  return readFileSync(join(SHARED_TOSCA_DIR, 'templates', file), 'utf8');
}

/** The same template with a distinct trailing comment, so each test stores its own checksum. */
export function unique(content: string): string {
  return `${content.trimEnd()}\n# copy ${crypto.randomUUID()}\n`;
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A small valid template naming itself in metadata. */
export function namedTemplate(name: string, version?: string, extraMetadata = ''): string {
  return `tosca_definitions_version: tosca_simple_yaml_1_0
metadata:
  template_name: ${name}
${version ? `  template_version: "${version}"\n` : ''}${extraMetadata}imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml
topology_template:
  inputs:
    num_cpus: { type: integer, default: 1, constraints: [ { valid_values: [ 1, 2, 4 ] } ] }
    admin_password: { type: string, default: changeme }
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: num_cpus }
  outputs:
    ip: { value: { get_attribute: [ vm, public_address, 0 ] } }
# ${crypto.randomUUID()}
`;
}

/** Adds a template and returns its id, failing the test unless it answers 201. */
export async function addTemplate(t: TestApp, token: string, body: { content: string; name?: string }): Promise<string> {
  const res = await t.call('POST', '/api/v1/templates', { token, json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Makes every database call fail, as an unreachable database would, until the returned function runs. */
export function breakDatabase(t: TestApp): () => void {
  const original = t.deps.db;
  t.deps.db = new Proxy({} as typeof original, {
    get() {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
    },
  });
  return () => {
    t.deps.db = original;
  };
}
