import { spawnTs, type ChildOptions } from './child.js';
import { ARGS_ENV, RESULT_PREFIX } from './task-main.js';

/** Runs a measuring entry point in a fresh process and returns what it printed. */
export async function runTask<R>(entry: string, args: unknown, timeoutMs: number, o: ChildOptions = {}): Promise<R> {
  const child = spawnTs(entry, entry, { ...o, env: { ...o.env, [ARGS_ENV]: JSON.stringify(args) } });
  try {
    const result = await child.waitForLine<R>(RESULT_PREFIX, timeoutMs);
    await child.exited;
    return result;
  } finally {
    await child.stop();
  }
}
