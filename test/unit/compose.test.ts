import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  init?: boolean;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { services } = compose;
const ORCHESTRATOR = ['migrate', 'im-sim', 'api', 'worker'];

/** `docker compose` is usable here when its version subcommand answers. */
function composeClient(): boolean {
  const probe = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}
const hasCompose = composeClient();
const cliNote = hasCompose ? 'and `docker compose config -q` accepts it' : 'no compose client here, so `docker compose config -q` is not run';

describe('docker-compose.yml, Dockerfile and the proxy config', () => {
  it(`describe the production topology (${cliNote})`, () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'im-sim', 'migrate', 'postgres', 'proxy', 'redis', 'worker']);

    // Replicas: two stateless APIs behind the proxy's single published port, three workers.
    expect(services.api.deploy?.replicas).toBe(2);
    expect(services.worker.deploy?.replicas).toBe(3);
    expect(services.api.ports).toBeUndefined();
    expect(services.api.expose).toEqual(['8080']);
    expect(services.proxy.ports).toHaveLength(1);
    expect(services.proxy.ports![0]).toMatch(/:8080$/);
    for (const [name, s] of Object.entries(services)) if (name !== 'proxy') expect(s.ports, name).toBeUndefined();

    // Healthchecks on everything that serves, and the start-up order waits on them.
    for (const name of ['postgres', 'redis', 'im-sim', 'api', 'proxy']) expect(services[name].healthcheck?.test.length, name).toBeGreaterThan(1);
    expect(services.api.healthcheck!.test.join(' ')).toContain('/api/v1/health');
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on, name).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        'im-sim': { condition: 'service_healthy' },
      });
    }
    expect(services.proxy.depends_on).toEqual({ api: { condition: 'service_healthy' } });

    // Data survives restarts.
    expect(services.postgres.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(services.redis.volumes).toContain('redisdata:/data');
    expect(services.redis.healthcheck!.test).toContain('ping');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['pgdata', 'redisdata']));

    // One image for every orchestrator process, each with an entry point that exists, tini as PID 1, and the shared settings.
    for (const name of ORCHESTRATOR) {
      const s = services[name];
      expect(s.build, name).toBe('.');
      expect(s.image, name).toBe('orchestrator:local');
      expect(s.init, name).toBe(true);
      expect(s.command, name).toHaveLength(1);
      expect(existsSync(join(root, s.command![0])), `${name}: ${s.command![0]}`).toBe(true);
    }
    for (const name of ['migrate', 'api', 'worker']) {
      const env = services[name].environment!;
      expect(env.DATABASE_URL, name).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL, name).toBe('redis://redis:6379');
      expect(env.IM_URL, name).toBe('http://im-sim:8800');
    }
    expect(services['im-sim'].environment).toMatchObject({ IM_SIM_HOST: '0.0.0.0', IM_SIM_PORT: '8800' });
    // Docker waits long enough for the graceful shutdown before it kills.
    const grace = Number(services.worker.environment!.SHUTDOWN_GRACE_MS);
    for (const name of ['api', 'worker']) expect(Number.parseInt(services[name].stop_grace_period!, 10) * 1000, name).toBeGreaterThan(grace + 2000);

    // The proxy: nginx spreads over every api replica and re-resolves them.
    const [nginxConf, nginxTarget] = services.proxy.volumes![0].split(':');
    expect(nginxTarget).toBe('/etc/nginx/nginx.conf');
    const nginx = read(nginxConf);
    expect(nginx).toMatch(/upstream api \{[^}]*server api:8080 resolve/);
    expect(nginx).toMatch(/resolver 127\.0\.0\.11/);
    expect(nginx).toMatch(/listen 8080;/);
    expect(nginx).toMatch(/proxy_pass http:\/\/api;/);

    // Dockerfile: multi-stage, production dependencies only, runs as a non-root user, one node process per container.
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split('\n').filter((l) => /^FROM /i.test(l));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/COPY --from=deps /);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(finalStage).toMatch(/^ENTRYPOINT \["node", "--import", "tsx"\]$/m);
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.git']));

    if (hasCompose) {
      execFileSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: root,
        env: { ...process.env, SECRET_KEY: 'x'.repeat(32) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } else {
      console.info('docker compose is not installed here: checked docker-compose.yml structurally only');
    }
  });
});
