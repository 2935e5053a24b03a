import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseProviderRegistry, type ProviderRegistry } from '../domain/provider-registry.js';

export const SAMPLE_PROVIDERS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../providers.example.yaml');

/** Reads and validates the YAML provider registry; throws one message listing every problem. */
export function loadProviderRegistry(path: string | undefined): ProviderRegistry {
  const file = path ?? SAMPLE_PROVIDERS_FILE;
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`PROVIDERS_FILE ${file} cannot be read as YAML: ${(err as Error).message}`);
  }
  const result = parseProviderRegistry(doc);
  if (!result.ok) throw new Error(`PROVIDERS_FILE ${file} is invalid: ${result.errors.join('; ')}`);
  return result.registry;
}
