import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseExists, countRedisPrefix } from '../../bench/lib/services.js';
import type { ResultsDocument } from '../../bench/lib/results-file.js';
import type { ResultLine } from '../../bench/lib/types.js';
import { SCENARIOS } from '../../bench/scenarios/registry.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/env.js';

const outDir = mkdtempSync(join(tmpdir(), 'orch-bench-smoke-'));
const outFile = join(outDir, 'latest.json');

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runHarness(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', outFile],
      {
        env: { ...process.env, BENCH_DATABASE_URL: TEST_DATABASE_URL, BENCH_REDIS_URL: TEST_REDIS_URL },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run bench (smoke sizes, no thresholds)', () => {
  it('runs every scenario, prints a JSON line each and a table, writes the results, and leaves nothing behind', async () => {
    const { code, stdout, stderr } = await runHarness();
    expect(code, stderr).toBe(0);

    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as ResultLine);
    expect(lines.map((l) => l.scenario).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    for (const line of lines) {
      expect(line.error, `${line.scenario}: ${line.error}`).toBeUndefined();
      expect(line.skipped, `${line.scenario} was skipped`).toBeUndefined();
      expect(line.value, line.scenario).toBeGreaterThan(0);
      expect(line.baseline, line.scenario).toBeGreaterThan(0);
      expect(line.ratio, line.scenario).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/^\| scenario +\| value/m);

    const doc = JSON.parse(readFileSync(outFile, 'utf8')) as ResultsDocument;
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(doc.machine.node).toBe(process.version);
    expect(doc.git).toHaveProperty('sha');
    expect(doc.results).toEqual(lines);
    expect(doc.problems).toEqual([]);

    expect(await databaseExists(doc.run.database)).toBe(false);
    expect(await countRedisPrefix(doc.run.prefix, TEST_REDIS_URL)).toBe(0);
  }, 180_000);
});
