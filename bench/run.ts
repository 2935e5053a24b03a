import { relative } from 'node:path';
import { parseBenchArgs, USAGE, UsageError, type BenchArgs } from './lib/args.js';
import { killStartedChildren, REPO_ROOT } from './lib/child.js';
import { openBenchContext } from './lib/context.js';
import { summarizeProfiles } from './lib/profile-report.js';
import { formatTable } from './lib/report.js';
import { DEFAULT_RESULTS_FILE, writeResults } from './lib/results-file.js';
import { runScenarios, selectScenarios, type ScenarioWindow } from './lib/runner.js';
import { sizesFor } from './lib/sizes.js';
import type { ResultLine, Scenario } from './lib/types.js';
import { SCENARIOS } from './scenarios/registry.js';

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

async function main(args: BenchArgs, scenarios: Scenario[]): Promise<number> {
  const started = performance.now();
  const sizes = sizesFor(args.mode);
  const ctx = await openBenchContext({ mode: args.mode, sizes, profile: args.profile, log });
  log(`mode ${args.mode}: ${scenarios.length} scenarios, ${sizes.rounds} round(s); database ${ctx.database.name}, queue prefix ${ctx.prefix}`);
  let interrupted = false;
  const problems: string[] = [];
  process.once('SIGINT', () => {
    interrupted = true;
    log('interrupted: cleaning up');
    killStartedChildren();
    void ctx.close().finally(() => process.exit(130));
  });

  let lines: ResultLine[];
  let windows: ScenarioWindow[];
  try {
    ({ lines, windows } = await runScenarios(ctx, scenarios, (line) => process.stdout.write(`${JSON.stringify(line)}\n`)));
  } finally {
    if (!interrupted) problems.push(...(await ctx.close()));
  }
  if (interrupted) return 130;
  for (const p of problems) log(`cleanup problem: ${p}`);
  if (ctx.profileDir) for (const text of summarizeProfiles(ctx.profileDir, windows)) process.stdout.write(`\n${text}\n`);

  process.stdout.write(`\n${formatTable(lines)}\n`);
  const file = args.out ?? DEFAULT_RESULTS_FILE;
  writeResults(file, {
    mode: args.mode,
    sizes,
    duration_s: Math.round((performance.now() - started) / 1000),
    run: { database: ctx.database.name, prefix: ctx.prefix, profiles: ctx.profileDir ? relative(REPO_ROOT, ctx.profileDir) : null },
    results: lines,
    problems,
  });
  log(`results written to ${relative(process.cwd(), file) || file}`);
  const failed = lines.filter((l) => l.error !== undefined);
  for (const l of failed) log(`${l.scenario} failed: ${l.error?.split('\n')[0]}`);
  return failed.length > 0 || problems.length > 0 ? 1 : 0;
}

let args: BenchArgs;
let scenarios: Scenario[];
try {
  args = parseBenchArgs(process.argv.slice(2));
  scenarios = selectScenarios(SCENARIOS, args.only);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (args.list) {
  for (const s of scenarios) {
    const against = s.vs ?? s.baselineLabel ?? (s.kind === 'raw' ? 'raw baseline' : '—');
    process.stdout.write(`${s.name.padEnd(20)} ${s.unit.padEnd(7)} vs ${against}\n    ${s.description}\n`);
  }
  process.exit(0);
}
try {
  process.exit(await main(args, scenarios));
} catch (err) {
  killStartedChildren();
  console.error(`bench: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
}
