import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadToscaEngine } from '../../src/node/tosca-engine.js';
import type { ToscaEngine } from '../../src/tosca/index.js';

/** The shared TOSCA test data next to the repository (templates and type files; data, not product). */
export const SHARED_TOSCA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/tosca');
export const SHARED_TYPES_DIR = resolve(SHARED_TOSCA_DIR, 'types');

let engine: Promise<ToscaEngine> | undefined;

/** One engine per test process, with the shared type files loaded as TOSCA_TYPES_DIR. */
export function sharedToscaEngine(): Promise<ToscaEngine> {
  engine ??= loadToscaEngine({ typesDir: SHARED_TYPES_DIR });
  return engine;
}
