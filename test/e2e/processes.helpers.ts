import { spawn, type ChildProcess } from 'node:child_process';

export interface Spawned {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * A product entry point (`src/node/main-api.ts`, `workers/main.ts` …) as its own process, the way `npm run …` and the
 * image start it: one node process with tsx's loader, so a signal reaches the app itself.
 */
export function spawnEntry(entry: string, env: Record<string, string>): Spawned {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => output,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits for a line of the process's output to match. */
export async function waitForOutput(p: Spawned, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(p.output());
    if (m) return m;
    if (p.child.exitCode !== null) throw new Error(`exited with ${p.child.exitCode} before printing ${pattern}:\n${p.output()}`);
    if (Date.now() > until) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the API at `url` answers its health check with 200. */
export async function waitHealthy(p: Spawned, url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`exited with ${p.child.exitCode}:\n${p.output()}`);
    const ok = await fetch(`${url}/api/v1/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`${url} did not become healthy:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
