import { spawnTs } from './child.js';
import type { BenchContext } from './context.js';
import { profileFlags } from './profile-flags.js';
import { ARGS_ENV, RESULT_PREFIX } from './task-main.js';

export interface TaskRun {
  entry: string;
  /** Names the CPU profile when the run is profiled. */
  label: string;
  args: unknown;
  timeoutMs: number;
}

/** Runs a measuring entry point in a fresh process and returns what it printed. */
export async function runTask<R>(ctx: BenchContext, t: TaskRun): Promise<R> {
  const child = spawnTs(t.entry, t.label, {
    env: { [ARGS_ENV]: JSON.stringify(t.args) },
    nodeArgs: profileFlags(ctx.profileDir, t.label),
  });
  try {
    const result = await child.waitForLine<R>(RESULT_PREFIX, t.timeoutMs);
    await child.exited;
    return result;
  } finally {
    await child.stop();
  }
}
