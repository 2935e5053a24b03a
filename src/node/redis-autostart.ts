import { spawn, type ChildProcess } from 'node:child_process';
import { pingRedis } from './redis.js';
import { freePort } from './free-port.js';

export interface StartedRedis {
  url: string;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super('Redis is not answering on 127.0.0.1:6379 and redis-server is not on PATH: install it (e.g. `apt-get install redis-server`) or set REDIS_URL');
  }
}


/** Uses the local Redis if it answers; otherwise starts a throw-away redis-server on a free port. */
export async function ensureLocalRedis(log: (msg: string) => void): Promise<StartedRedis> {
  const defaultUrl = 'redis://127.0.0.1:6379';
  if (await pingRedis(defaultUrl)) return { url: defaultUrl, stop: async () => {} };
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new RedisNotInstalledError();
    throw err;
  }
  // However this process ends (fatal start-up error, second signal), the private server goes with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await pingRedis(url, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await pingRedis(url))) throw new Error(`started redis-server on port ${port} but it does not answer`);
  log(`started a private redis-server on ${url} (nothing answered on 127.0.0.1:6379)`);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
