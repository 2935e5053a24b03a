import { spawnTs } from './child.js';
import type { BenchContext } from './context.js';
import { profileFlags } from './profile-flags.js';
import { READY_PREFIX } from './task-main.js';

export interface RunningServer {
  url: string;
  pid: number;
}

/**
 * Starts a server entry point that prints `BENCH_READY {"url":…}` (raw servers, the simulator) once
 * per run, and stops it at the end.
 */
export function startAnnouncingServer(
  ctx: BenchContext,
  key: string,
  entry: string,
  env: () => Promise<Record<string, string>> | Record<string, string>,
): Promise<RunningServer> {
  return ctx.once(key, async () => {
    const child = spawnTs(entry, key, { env: await env(), nodeArgs: profileFlags(ctx.profileDir, key) });
    ctx.onCleanup(() => child.stop());
    const ready = await child.waitForLine<{ url: string }>(READY_PREFIX, 60_000);
    return { url: ready.url, pid: child.pid };
  });
}
