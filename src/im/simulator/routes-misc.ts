import type { Hono } from 'hono';
import type { SimEnv } from './env.js';
import { authTop, fail } from './request-context.js';
import { negotiate, scalarResponse, unsupportedAccept } from './wire.js';

export function registerMiscRoutes(app: Hono, env: SimEnv): void {
  app.get('/version', (c) => {
    const rep = negotiate(c.req.header('accept'), 'text/plain');
    if (!rep) return unsupportedAccept(c);
    return scalarResponse(c, 'version', env.version, rep);
  });

  app.get('/clouds/:cloudId/:what', (c) => {
    const op = 'Getting cloud info';
    const identity = authTop(c, env, op);
    if (identity instanceof Response) return identity;
    const line = identity.clouds.find((l) => l.id === c.req.param('cloudId'));
    if (!line) return fail(c, 400, op, `Cloud ID ${c.req.param('cloudId')} not found in the credentials`);
    const host = (line.host ?? 'cloud.example.org').replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '');
    const what = c.req.param('what');
    if (what === 'images') {
      return c.json({
        images: [
          { uri: `ost://${host}/ubuntu-22.04`, name: 'Ubuntu 22.04 LTS' },
          { uri: `ost://${host}/rocky-9`, name: 'Rocky Linux 9' },
        ],
      });
    }
    if (what === 'quotas') {
      const used = [...env.store.infras.values()].filter((i) => i.cloud?.id === line.id).length;
      return c.json({
        quotas: {
          cores: { used, limit: 1000 },
          ram: { used: used * 2, limit: 2000 },
          instances: { used, limit: 1000 },
          floating_ips: { used, limit: 1000 },
        },
      });
    }
    return fail(c, 404, op, `Incorrect cloud property ${what}`);
  });
}
