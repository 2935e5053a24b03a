import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds a live process has used so far (Linux /proc), all threads included. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/** Runs `fn` and reports how many cores the process kept busy meanwhile, on average. */
export async function withCpuOf<T>(pid: number | undefined, fn: () => Promise<T>): Promise<{ value: T; cores?: number }> {
  const before = pid === undefined ? undefined : cpuSecondsOf(pid);
  const started = performance.now();
  const value = await fn();
  const after = pid === undefined ? undefined : cpuSecondsOf(pid);
  if (before === undefined || after === undefined) return { value };
  return { value, cores: Math.round(((after - before) / ((performance.now() - started) / 1000)) * 100) / 100 };
}
