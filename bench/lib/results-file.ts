import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './child.js';
import { gitState, machineInfo } from './machine.js';
import type { Mode, Sizes } from './sizes.js';
import type { ResultLine } from './types.js';

export const DEFAULT_RESULTS_FILE = join(REPO_ROOT, 'bench/results/latest.json');

export interface ResultsDocument {
  generated_at: string;
  mode: Mode;
  sizes: Sizes;
  machine: ReturnType<typeof machineInfo>;
  git: ReturnType<typeof gitState>;
  duration_s: number;
  /** The throw-away database and queue prefix of the run (both removed at the end). */
  run: { database: string; prefix: string; profiles: string | null };
  results: ResultLine[];
  problems: string[];
}

export function writeResults(file: string, doc: Omit<ResultsDocument, 'machine' | 'git' | 'generated_at'>): ResultsDocument {
  const full: ResultsDocument = { generated_at: new Date().toISOString(), machine: machineInfo(), git: gitState(), ...doc };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}
