import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { deleteRedisPrefix } from '../helpers/redis-cleanup.js';
import { freePort } from '../../src/node/free-port.js';
import { createSecretBox } from '../../src/services/secret-box.js';
import { createTokenRefresher } from '../../src/services/tokens/fresh-access-token.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'orch-aio-'));
const prefix = `test-aio-${crypto.randomUUID().slice(0, 8)}`;
let child: ChildProcess | undefined;


function env(port: number) {
  return { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
}

async function start(port: number): Promise<{ output: () => string }> {
  let output = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main-all-in-one.ts'], { env: env(port), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.status === 200, () => false);
    if (ok) return { output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`did not become healthy:\n${output}`);
}

async function stop(): Promise<number | null> {
  const c = child!;
  const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
  c.kill('SIGTERM');
  return exited;
}

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await deleteRedisPrefix(prefix);
});

describe('npm start (all-in-one, embedded database)', () => {
  it('starts, mints dev tokens, keeps registered users across a graceful restart', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toContain(`Docs:     http://127.0.0.1:${port}/docs`);
    expect(first.output()).toContain('npm run token -- --sub alice');
    // Start-up prints how to open the queue board, and those credentials open it.
    const board = /Queues: +(\S+) +\(user (\S+), password (\S+);/.exec(first.output());
    expect(board?.[1]).toBe(`http://127.0.0.1:${port}/admin/queues`);
    expect((await fetch(board![1])).status).toBe(401);
    expect((await fetch(board![1], { headers: { authorization: `Basic ${Buffer.from(`${board![2]}:${board![3]}`).toString('base64')}` } })).status).toBe(200);
    const { stdout: token } = await run(TSX, ['src/node/main-token.ts', '--sub', 'alice', '--groups', 'users'], { env: env(port) });
    const auth = { authorization: `Bearer ${token.trim()}` };
    const reg = await fetch(`http://127.0.0.1:${port}/api/v1/users`, { method: 'POST', headers: auth });
    expect(reg.status).toBe(201);
    const { id } = (await reg.json()) as { id: string };
    const configuration = (await (await fetch(`http://127.0.0.1:${port}/api/v1/configuration`)).json()) as { im_url: string };
    expect(configuration.im_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${configuration.im_url}/version`)).status).toBe(200);

    // The dev issuer refreshes: a refresh token from `npm run token -- --refresh-token`, exchanged at its token endpoint.
    const { stdout: refreshToken } = await run(TSX, ['src/node/main-token.ts', '--sub', 'alice', '--refresh-token'], { env: env(port) });
    const secrets = await createSecretBox('e2e-secret-key-0123456789abcdef0123');
    const refreshed = await createTokenRefresher({ clientId: 'orchestrator', secrets, minValiditySecs: 7200 }).freshAccessToken({
      accessToken: token.trim(),
      refreshTokenSealed: await secrets.seal(refreshToken.trim()),
      issuer: `http://127.0.0.1:${port}/dev-issuer`,
    });
    expect(refreshed).toMatchObject({ ok: true, refreshed: true });
    if (refreshed.ok) expect((await fetch(`http://127.0.0.1:${port}/api/v1/users/${id}`, { headers: { authorization: `Bearer ${refreshed.accessToken}` } })).status).toBe(200);
    expect(await stop()).toBe(0);

    await start(port);
    const again = await fetch(`http://127.0.0.1:${port}/api/v1/users/${id}`, { headers: auth });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { sub: string }).sub).toBe('alice');
    expect(await stop()).toBe(0);
  });
});
