import type { Mode } from './sizes.js';

export interface BenchArgs {
  mode: Mode;
  /** Scenario names to run (their baselines are added); empty means all. */
  only: string[];
  /** Where the results file goes; default bench/results/latest.json. */
  out?: string;
  /** Adds `--cpu-prof` to the servers and prints their hottest frames. */
  profile: boolean;
  /** Prints the scenarios and exits. */
  list: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = 'usage: npm run bench -- [--quick | --smoke] [--only name,name] [--out file.json] [--profile] [--list]';

/** Parses the harness arguments; throws UsageError on anything unknown. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { mode: 'full', only: [], profile: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--quick') args.mode = 'quick';
    else if (flag === '--smoke') args.mode = 'smoke';
    else if (flag === '--full') args.mode = 'full';
    else if (flag === '--profile') args.profile = true;
    else if (flag === '--list') args.list = true;
    else if (flag === '--only') args.only.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
    else if (flag === '--out') args.out = value();
    else throw new UsageError(`unknown argument ${a}`);
  }
  return args;
}
