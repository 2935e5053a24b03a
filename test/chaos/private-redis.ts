import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/node/free-port.js';

/**
 * A redis-server of the run's own, without persistence, so that restarting it loses every key
 * (jobs, locks, schedules) while the Redis other test files share is left alone.
 */
export interface PrivateRedis {
  url: string;
  /** Kills the server, keeps it down for `downMs`, then starts an empty one on the same port. */
  restartEmpty(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

function startServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server on port ${port} did not start:\n${output}`)), 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server on port ${port} exited with ${code}:\n${output}`)));
    child.stdout!.on('data', (d) => {
      output += d;
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.on('data', (d) => (output += d));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  return gone;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child = await startServer(port);
  // A run cut short must not leave the server behind.
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  return {
    url: `redis://127.0.0.1:${port}`,
    async restartEmpty(downMs) {
      await kill(child);
      await new Promise((r) => setTimeout(r, downMs));
      child = await startServer(port);
    },
    async stop() {
      await kill(child);
      process.off('exit', killNow);
    },
  };
}
