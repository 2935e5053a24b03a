import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDevIssuer } from '../../src/node/dev-issuer.js';
import { REPO_ROOT, spawnTs } from './child.js';
import type { BenchContext } from './context.js';
import { profileFlags } from './profile-flags.js';
import { freePort } from '../../src/node/free-port.js';

export const TOSCA_TYPES_DIR = join(REPO_ROOT, '../shared/tosca/types');
const PROVIDERS_FILE = join(REPO_ROOT, 'providers.example.yaml');

export interface ProductApi {
  url: string;
  pid: number;
  /** A dev-issuer token for `bench` (groups users, admins), verified on every request. */
  token: string;
  /** The id of the `bench` user. */
  userId: string;
  authHeaders: Record<string, string>;
  /** The dev issuer the API trusts, for tokens of other callers. */
  issuer: string;
  mint(sub: string, groups: string[]): Promise<string>;
}

export class ApiStartError extends Error {
  override readonly name = 'ApiStartError';
}


async function waitHealthy(url: string, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited()) throw new ApiStartError(`the API exited during start-up:\n${output().slice(-4000)}`);
    const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ApiStartError(`the API did not become healthy in 90 s:\n${output().slice(-4000)}`);
}

async function registerBenchUser(url: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/api/v1/users`, { method: 'POST', headers });
  if (res.status === 201) return ((await res.json()) as { id: string }).id;
  const list = await fetch(`${url}/api/v1/users?sub=bench`, { headers });
  const found = list.ok ? ((await list.json()) as { data: Array<{ id: string }> }).data[0] : undefined;
  if (!found) throw new ApiStartError(`cannot register the bench user: POST /api/v1/users answered ${res.status}`);
  return found.id;
}

/** Where an API process keeps its state: the database, the queue prefix and the key sealing tokens. */
export interface ApiStore {
  databaseUrl: string;
  prefix: string;
  secretKey: string;
  dataDir: string;
}

export const randomSecretKey = () => crypto.randomUUID().replace(/-/g, '') + crypto.randomUUID().replace(/-/g, '');

/**
 * The production API (`src/node/main-api.ts`) in its own process: warn-level logs, the dev issuer,
 * the given database and queue prefix. Stopped at the end of the run.
 */
export async function startApiProcess(ctx: BenchContext, label: string, store: ApiStore, env: Record<string, string> = {}): Promise<ProductApi> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  const child = spawnTs('src/node/main-api.ts', label, {
    nodeArgs: profileFlags(ctx.profileDir, label),
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: store.databaseUrl,
      REDIS_URL: ctx.redisUrl,
      QUEUE_PREFIX: store.prefix,
      SECRET_KEY: store.secretKey,
      DEV_ISSUER: '1',
      DATA_DIR: store.dataDir,
      LOG_LEVEL: 'warn',
      // The scenarios measure throughput; a per-user budget would turn most of their requests into 429s.
      RATE_LIMIT_READS_PER_MIN: '0',
      RATE_LIMIT_WRITES_PER_MIN: '0',
      RATE_LIMIT_ANON_PER_MIN: '0',
      PROVIDERS_FILE: PROVIDERS_FILE,
      ...(existsSync(TOSCA_TYPES_DIR) ? { TOSCA_TYPES_DIR } : {}),
      ...env,
    },
  });
  ctx.onCleanup(() => child.stop());
  void child.exited.then(() => (exited = true));
  await waitHealthy(url, () => exited, child.output);
  const issuer = await readDevIssuer(store.dataDir);
  const token = await issuer.mint({ sub: 'bench', groups: ['users', 'admins'], expiresInSec: 6 * 3600 });
  const authHeaders = { authorization: `Bearer ${token}` };
  const userId = await registerBenchUser(url, authHeaders);
  const mint = (sub: string, groups: string[]) => issuer.mint({ sub, groups, expiresInSec: 6 * 3600 });
  return { url, pid: child.pid, token, userId, authHeaders, issuer: issuer.issuer, mint };
}

/** The run's API on the run's database and prefix, started once. */
export function productApi(ctx: BenchContext): Promise<ProductApi> {
  return ctx.once('product-api', () =>
    startApiProcess(ctx, 'api', { databaseUrl: ctx.database.url, prefix: ctx.prefix, secretKey: randomSecretKey(), dataDir: ctx.dataDir }),
  );
}
