import { freePort } from '../../src/node/free-port.js';
import { spawnEntry, waitForOutput, waitHealthy, type Spawned } from '../e2e/processes.helpers.js';

/** The API and worker processes of a run, all on one database, Redis and IM. */
export interface Fleet {
  apiUrls: string[];
  /**
   * SIGKILLs a random running worker process and returns its slot; `downMs` later a new one starts in
   * its place, in the background.
   */
  killAndRestartWorker(downMs: number): Promise<number>;
  /** Resolves once every replacement runs (rejects if one could not start). */
  whenRestarted(): Promise<void>;
  workerCount: number;
  /** Processes that exited without being told to (a crash on a lost connection is a bug). */
  unexpectedExits(): string[];
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

async function stopProcess(p: Spawned): Promise<void> {
  const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_GRACE_MS);
  await p.stop('SIGTERM');
  clearTimeout(timer);
}

export async function startFleet(options: { apis: number; workers: number; env: Record<string, string>; workerEnv: Record<string, string> }): Promise<Fleet> {
  const expected = new Set<Spawned>();
  const exits: string[] = [];
  // Every process ever started, so a failed start still stops the others.
  const all: Spawned[] = [];
  const restarts = new Map<number, Promise<void>>();
  const booting = new Set<number>();
  // A run cut short (test timeout, Ctrl-C) must not leave processes behind.
  const killAll = () => all.forEach((p) => p.child.kill('SIGKILL'));
  process.once('exit', killAll);
  const watch = (p: Spawned, label: string) => {
    all.push(p);
    void p.exited.then((code) => {
      if (!expected.has(p)) exits.push(`${label} exited with ${code ?? p.child.signalCode}: ${p.output().slice(-2000)}`);
    });
    return p;
  };
  const startWorker = async (n: number) => {
    const w = watch(spawnEntry('workers/main.ts', { ...options.env, ...options.workerEnv }), `worker #${n}`);
    await waitForOutput(w, /"msg":"worker started"/, 90_000);
    return w;
  };
  const apis: Array<{ process: Spawned; url: string }> = [];
  const workers: Spawned[] = [];
  const stop = async () => {
    await Promise.allSettled(restarts.values());
    for (const p of all) expected.add(p);
    await Promise.allSettled(all.map(stopProcess));
    process.off('exit', killAll);
  };
  try {
    for (let i = 0; i < options.apis; i++) {
      const port = await freePort();
      const p = watch(spawnEntry('src/node/main-api.ts', { ...options.env, PORT: String(port), HOST: '127.0.0.1' }), `api #${i}`);
      apis.push({ process: p, url: `http://127.0.0.1:${port}` });
    }
    const started = await Promise.all([...Array.from({ length: options.workers }, (_, i) => startWorker(i)), ...apis.map((a) => waitHealthy(a.process, a.url, 90_000))]);
    workers.push(...(started.slice(0, options.workers) as Spawned[]));
  } catch (err) {
    await stop();
    throw err;
  }
  let started = options.workers;
  return {
    apiUrls: apis.map((a) => a.url),
    workerCount: options.workers,
    async killAndRestartWorker(downMs) {
      // A random running worker; one whose replacement is still booting is left alone.
      let ready = workers.map((_, i) => i).filter((i) => !booting.has(i));
      if (!ready.length) await Promise.race(restarts.values());
      ready = workers.map((_, i) => i).filter((i) => !booting.has(i));
      const index = ready[Math.floor(Math.random() * ready.length)];
      const victim = workers[index];
      expected.add(victim);
      await victim.stop('SIGKILL');
      const restart = (async () => {
        await new Promise((r) => setTimeout(r, downMs));
        workers[index] = await startWorker(started++);
        booting.delete(index);
      })();
      // Handled by whenRestarted; a failure must not surface as an unhandled rejection meanwhile.
      restart.catch(() => undefined);
      booting.add(index);
      restarts.set(index, restart);
      return index;
    },
    whenRestarted: () => Promise.all(restarts.values()).then(() => undefined),
    unexpectedExits: () => [...exits],
    stop,
  };
}
