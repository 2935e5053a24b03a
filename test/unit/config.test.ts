import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function errorOf(env: Record<string, string>, mode: Parameters<typeof loadConfig>[1] = 'all-in-one'): ConfigError {
  try {
    loadConfig(env, mode);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives embedded defaults with an empty environment in all-in-one mode', () => {
    const c = loadConfig({}, 'all-in-one');
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.oidc.devIssuer).toBe(true);
    expect(c.oidc.groupsClaim).toBe('groups');
    expect(c.oidc.adminGroups).toEqual(['admins']);
    expect(c.queuePrefix).toBe('orch');
  });

  it('names the variable and the expectation for a bad port', () => {
    const err = errorOf({ PORT: 'eighty' });
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatch(/^PORT must be an integer port between 1 and 65535 \(got "eighty"\)$/);
  });

  it('rejects a port out of range', () => {
    expect(errorOf({ PORT: '70000' }).issues[0]).toMatch(/^PORT /);
  });

  it('lists every bad variable at once', () => {
    const err = errorOf({ DATABASE_URL: 'mysql://x', REDIS_URL: 'http://r', WORKER_CONCURRENCY: '0', OIDC_ISSUERS: 'not a url' });
    const names = err.issues.map((i) => i.split(' ')[0]).sort();
    expect(names).toEqual(['DATABASE_URL', 'OIDC_ISSUERS', 'REDIS_URL', 'WORKER_CONCURRENCY']);
    expect(err.message).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('never echoes a secret value in the error', () => {
    const err = errorOf({ SECRET_KEY: 'short-but-secret' });
    expect(err.issues[0]).toContain('SECRET_KEY must be at least 32 characters');
    expect(err.message).not.toContain('short-but-secret');
  });

  it('requires SECRET_KEY, a shared database and an issuer for the split API', () => {
    const err = errorOf({}, 'api');
    expect(err.issues.join('\n')).toMatch(/SECRET_KEY is required/);
    expect(err.issues.join('\n')).toMatch(/DATABASE_URL is required outside all-in-one mode/);
    expect(err.issues.join('\n')).toMatch(/OIDC_ISSUERS is required/);
    expect(errorOf({ SECRET_KEY: 'k'.repeat(32) }, 'worker').issues).toEqual([
      'DATABASE_URL is required outside all-in-one mode: replicas must share one PostgreSQL (postgres://…)',
    ]);
  });

  it('never echoes the password inside a connection URL', () => {
    const err = errorOf({ DATABASE_URL: 'postgresql+asyncpg://orch:hunter2@db/x' });
    expect(err.message).toContain('//*****@db/x');
    expect(err.message).not.toContain('hunter2');
  });

  it('parses issuer and group lists and switches the dev issuer off when issuers are given', () => {
    const c = loadConfig({ OIDC_ISSUERS: 'https://iam.example.org/, https://b.example.org', ADMIN_GROUPS: 'admins,/ops' }, 'all-in-one');
    expect(c.oidc.issuers).toEqual(['https://iam.example.org/', 'https://b.example.org']);
    expect(c.oidc.adminGroups).toEqual(['admins', '/ops']);
    expect(c.oidc.devIssuer).toBe(false);
  });

  it('accepts DEV_ISSUER only as a boolean word', () => {
    expect(loadConfig({ DEV_ISSUER: '1', OIDC_ISSUERS: 'https://x.org' }, 'all-in-one').oidc.devIssuer).toBe(true);
    expect(errorOf({ DEV_ISSUER: 'maybe' }).issues[0]).toMatch(/^DEV_ISSUER must be one of/);
  });

  it('reads the OAuth client used to refresh tokens and never echoes its secret', () => {
    expect(loadConfig({}, 'all-in-one').oidc).toMatchObject({ clientId: undefined, clientSecret: undefined });
    const c = loadConfig({ OIDC_CLIENT_ID: 'orchestrator', OIDC_CLIENT_SECRET: 'hunter2-client' }, 'all-in-one');
    expect(c.oidc).toMatchObject({ clientId: 'orchestrator', clientSecret: 'hunter2-client' });
    const err = errorOf({ OIDC_CLIENT_SECRET: 'hunter2-client' });
    expect(err.issues).toEqual(['OIDC_CLIENT_SECRET is set without OIDC_CLIENT_ID: set the client id the secret belongs to']);
    expect(err.message).not.toContain('hunter2');
  });

  it('rejects an unsafe queue prefix', () => {
    expect(errorOf({ QUEUE_PREFIX: 'a:b' }).issues[0]).toMatch(/^QUEUE_PREFIX must contain only/);
  });

  it('reads the maintenance schedules and refuses a cleanup time that is not HH:MM', () => {
    expect(loadConfig({}, 'all-in-one').schedules).toEqual({ reconcileMs: 60_000, timeoutSweepMs: 60_000, reassertMs: 30_000, logCleanupAt: '03:00' });
    const c = loadConfig({ RECONCILE_INTERVAL_MS: '5000', TIMEOUT_SWEEP_INTERVAL_MS: '7000', LOG_CLEANUP_AT: '23:45' }, 'all-in-one');
    expect(c.schedules).toEqual({ reconcileMs: 5000, timeoutSweepMs: 7000, reassertMs: 5000, logCleanupAt: '23:45' });
    expect(errorOf({ LOG_CLEANUP_AT: '24:00' }).issues.join('\n')).toMatch(/LOG_CLEANUP_AT .*HH:MM/);
    expect(errorOf({ RECONCILE_INTERVAL_MS: '0' }).issues.join('\n')).toMatch(/RECONCILE_INTERVAL_MS/);
  });
});
