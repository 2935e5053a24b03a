import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildOptions {
  env?: Record<string, string | undefined>;
  /** Node flags placed before the loader, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  args?: string[];
  /** Opens a message channel (`send` / `onMessage`). */
  ipc?: boolean;
}

export class ChildError extends Error {
  override readonly name = 'ChildError';
}

/** A TypeScript entry point running in its own Node process (no wrapper: `pid` is the real process). */
export interface Child {
  pid: number;
  label: string;
  output(): string;
  /** Resolves with the JSON after the first stdout line starting with `prefix`. */
  waitForLine<T>(prefix: string, timeoutMs: number): Promise<T>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
  send(message: unknown): void;
  onMessage(fn: (message: unknown) => void): void;
}

const live = new Set<ChildProcess>();
const OUTPUT_KEEP = 64 * 1024;

export function spawnTs(entry: string, label: string, o: ChildOptions = {}): Child {
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', entry, ...(o.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...o.env },
    stdio: o.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let output = '';
  let pending = '';
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_KEEP);
  };
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    keep(chunk);
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    // Only protocol lines are kept; the rest lives in the bounded `output`.
    lines.push(...parts.filter((l) => l.startsWith('BENCH_')));
    for (const l of listeners) l();
  });
  proc.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      for (const l of listeners) l();
      resolve(code ?? (signal ? 128 : null));
    }),
  );

  return {
    pid: proc.pid ?? -1,
    label,
    output: () => output,
    exited,
    waitForLine<T>(prefix: string, timeoutMs: number) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => l.startsWith(prefix));
          if (hit !== undefined) {
            done();
            try {
              resolve(JSON.parse(hit.slice(prefix.length)) as T);
            } catch {
              reject(new ChildError(`${label}: unreadable line ${hit.slice(0, 200)}`));
            }
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            done();
            reject(new ChildError(`${label} exited (${proc.exitCode ?? proc.signalCode}) before "${prefix.trim()}":\n${output.slice(-4000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new ChildError(`${label}: no "${prefix.trim()}" within ${timeoutMs} ms:\n${output.slice(-4000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    send(message) {
      if (!proc.connected) throw new ChildError(`${label} is not running:\n${output.slice(-4000)}`);
      proc.send(message as never);
    },
    onMessage(fn) {
      proc.on('message', fn);
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Last resort on an interrupted run: kills only the processes this harness started. */
export function killStartedChildren(): void {
  for (const proc of live) proc.kill('SIGKILL');
}

/** Resident and peak resident memory of a live process, in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const rss = kb('VmRSS');
    const peak = kb('VmHWM');
    return Number.isFinite(rss) ? { rssMb: rss / 1024, peakMb: Number.isFinite(peak) ? peak / 1024 : rss / 1024 } : undefined;
  } catch {
    return undefined;
  }
}
