import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './child.js';

export const TOSCA_TEMPLATES_DIR = join(REPO_ROOT, '../shared/tosca/templates');
/** A 4.8 KB INDIGO Mesos cluster: 6 nodes, inputs with defaults, outputs with functions. */
export const REALISTIC_TEMPLATE_FILE = join(TOSCA_TEMPLATES_DIR, 'indigo-dc/mesos_cluster.yaml');
/** Replaced by a unique id in every request, so each upload is a new template. */
export const UNIQUE_MARK = '[<id>]';

/** The realistic template with a unique-id marker in its description; undefined when the data set is absent. */
export function realisticTemplate(): string | undefined {
  if (!existsSync(REALISTIC_TEMPLATE_FILE)) return undefined;
  const text = readFileSync(REALISTIC_TEMPLATE_FILE, 'utf8');
  const tagged = text.replace(/^description: (.*)$/m, `description: $1 (bench ${UNIQUE_MARK})`);
  return tagged.includes(UNIQUE_MARK) ? tagged : text.replace(/\n/, `\ndescription: bench ${UNIQUE_MARK}\n`);
}
