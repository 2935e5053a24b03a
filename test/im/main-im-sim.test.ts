import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run im-sim', () => {
  it('starts the simulator alone, serves the IM API and the control API, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main-im-sim.ts'], {
      cwd: ROOT,
      env: { ...process.env, IM_SIM_PORT: '0', IM_SIM_HOST: '127.0.0.1', IM_SIM_MODE: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((ok, fail) => {
      const timer = setInterval(() => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearInterval(timer);
          ok(m[1]);
        }
      }, 50);
      child.once('exit', (code) => {
        clearInterval(timer);
        fail(new Error(`exited with ${code}: ${out}`));
      });
    });
    const version = await fetch(`${url}/version`, { headers: { Accept: 'application/json' } });
    expect(await version.json()).toEqual({ version: '1.19.2' });
    const control = await fetch(`${url}/__sim/infrastructures`);
    expect(await control.json()).toEqual({ count: 0, infrastructures: [] });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toContain('SIGTERM received');
  });

  it('refuses a bad setting with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main-im-sim.ts'], {
      cwd: ROOT,
      env: { ...process.env, IM_SIM_MODE: 'prod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('IM_SIM_MODE must be one of test, dev, production, got "prod"');
  });
});
