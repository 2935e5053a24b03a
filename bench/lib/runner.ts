import type { BenchContext } from './context.js';
import { nowUs, type TimeWindow } from './cpu-profile.js';
import { failedLine, skippedLine, summarize, type RoundOutcome } from './report.js';
import { SkipScenario, type ResultLine, type Scenario } from './types.js';
import { UsageError } from './args.js';

/** When a scenario ran, to cut server profiles per scenario. */
export interface ScenarioWindow extends TimeWindow {
  scenario: string;
}

/** The scenarios to run, in registry order: the ones asked for plus the baselines they divide by. */
export function selectScenarios(all: readonly Scenario[], only: readonly string[]): Scenario[] {
  if (only.length === 0) return [...all];
  const byName = new Map(all.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  for (const name of only) {
    const s = byName.get(name);
    if (!s) throw new UsageError(`unknown scenario "${name}"; known: ${all.map((x) => x.name).join(', ')}`);
    wanted.add(name);
    if (s.vs) wanted.add(s.vs);
  }
  return all.filter((s) => wanted.has(s.name));
}

/**
 * Runs every scenario `rounds` times, round after round, so noise spreads over all of them.
 * A scenario's line is emitted as soon as its last round is done.
 */
export async function runScenarios(
  ctx: BenchContext,
  scenarios: readonly Scenario[],
  emit: (line: ResultLine) => void,
): Promise<{ lines: ResultLine[]; windows: ScenarioWindow[] }> {
  const windows: ScenarioWindow[] = [];
  const rounds = ctx.sizes.rounds;
  const outcomes = new Map<string, RoundOutcome[]>(scenarios.map((s) => [s.name, []]));
  const lastValue = new Map<string, number>();
  const stopped = new Map<string, ResultLine>();
  const lines = new Map<string, ResultLine>();

  const stop = (s: Scenario, err: unknown, round: number) => {
    const reason = err instanceof SkipScenario ? err.message : undefined;
    const line = reason ? skippedLine(s, reason) : failedLine(s, (err as Error).message);
    stopped.set(s.name, line);
    ctx.log(`[${round}/${rounds}] ${s.name}: ${reason ? `skipped (${reason})` : `FAILED: ${(err as Error).message}`}`);
    if (outcomes.get(s.name)!.length === 0) {
      lines.set(s.name, line);
      emit(line);
    }
  };

  ctx.log('preparing servers and data …');
  const preparing = performance.now();
  const prepared = await Promise.allSettled(scenarios.map((s) => s.prepare?.(ctx)));
  ctx.log(`prepared in ${((performance.now() - preparing) / 1000).toFixed(1)} s`);
  prepared.forEach((p, i) => {
    if (p.status === 'rejected') stop(scenarios[i], p.reason, 0);
  });

  for (let round = 1; round <= rounds; round++) {
    for (const s of scenarios) {
      if (stopped.has(s.name)) continue;
      ctx.log(`[${round}/${rounds}] ${s.name} …`);
      const started = performance.now();
      const window = { scenario: s.name, startUs: nowUs(), endUs: 0 };
      try {
        const m = await s.run(ctx).finally(() => windows.push({ ...window, endUs: nowUs() }));
        lastValue.set(s.name, m.value);
        const baseline = s.vs ? lastValue.get(s.vs) : m.baseline;
        outcomes.get(s.name)!.push({ measurement: m, baseline });
        ctx.log(`[${round}/${rounds}] ${s.name}: ${m.value.toFixed(2)} ${s.unit} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      } catch (err) {
        lastValue.delete(s.name);
        stop(s, err, round);
        continue;
      }
      if (round === rounds) {
        const line = summarize(s, outcomes.get(s.name)!);
        lines.set(s.name, line);
        emit(line);
      }
    }
  }
  // A scenario that failed after some good rounds still reports what it measured.
  for (const s of scenarios) {
    if (!lines.has(s.name) && outcomes.get(s.name)!.length > 0) {
      const line = { ...summarize(s, outcomes.get(s.name)!), error: stopped.get(s.name)?.error };
      lines.set(s.name, line);
      emit(line);
    }
  }
  return { lines: scenarios.map((s) => lines.get(s.name)!).filter(Boolean), windows };
}
