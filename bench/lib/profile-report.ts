import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './child.js';
import { busySamples, formatProfileSummary, summarizeProfile, type CpuProfile } from './cpu-profile.js';
import type { ScenarioWindow } from './runner.js';

const MIN_SAMPLES = 200;

/**
 * For each profiled process, its busiest thread (the main one, not the loader's), cut into the
 * scenarios that ran while it was up: what each scenario cost that process.
 */
export function summarizeProfiles(dir: string, windows: readonly ScenarioWindow[]): string[] {
  const scenarios = [...new Set(windows.map((w) => w.scenario))];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const profiles = readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => JSON.parse(readFileSync(join(dir, d.name, f), 'utf8')) as CpuProfile)
        .map((profile) => ({ profile, busy: busySamples(profile) }))
        .sort((a, b) => b.busy - a.busy)
        .map((p) => p.profile);
      const main = profiles[0];
      if (!main) return [];
      return scenarios.flatMap((scenario) => {
        const summary = summarizeProfile(main, REPO_ROOT, 15, windows.filter((w) => w.scenario === scenario));
        if (summary.busySamples < MIN_SAMPLES) return [];
        const text = formatProfileSummary(`${d.name} during ${scenario}`, summary);
        writeFileSync(join(dir, `${d.name}.${scenario}.summary.txt`), `${text}\n`);
        return [text];
      });
    });
}

