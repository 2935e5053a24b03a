import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SHARED_TOSCA_DIR } from '../helpers/tosca.js';
import type { TestApp } from '../helpers/test-app.js';
import { openPostgres } from '../../src/node/database.js';
import { freePort } from '../../src/node/free-port.js';

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

/** Points the app at a real PostgreSQL address where nothing listens, until the returned function runs. */
export async function breakDatabase(t: TestApp): Promise<() => Promise<void>> {
  const original = t.deps.db;
  const unreachable = await openPostgres(`postgres://postgres@127.0.0.1:${await freePort()}/gone`, { max: 1 });
  t.deps.db = unreachable.db;
  return async () => {
    t.deps.db = original;
    await unreachable.close();
  };
}
