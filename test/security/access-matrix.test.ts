import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { legacyApp } from '../../src/routes/legacy/index.js';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import { singleNodeTemplate } from '../im/templates.js';
import { createAccessFixtures, ROLES, type AccessFixtures, type Role } from './access-fixtures.js';
import { sendWithDeadline } from './send-with-deadline.js';

/** What one role sends: the path, and a body or a token of its own when the rule needs them. */
interface Ask {
  path: string;
  json?: unknown;
  /** Instead of the role's token (a user acting on itself). */
  token?: string;
}

interface Rule {
  expect: Record<Role, number>;
  ask: (role: Role, f: AccessFixtures) => Ask | Promise<Ask>;
}

const everyone = (status: number): Record<Role, number> => ({ anonymous: status, other: status, otherGroup: status, owner: status, admin: status });
/** Any signed-in user may; anonymous callers get 401. */
const signedIn = (status: number): Record<Role, number> => ({ ...everyone(status), anonymous: 401 });
/** Only the owner and admins see it; to anyone else it does not exist. */
const ownerOrAdmin = (status: number): Record<Role, number> => ({ anonymous: 401, other: 404, otherGroup: 404, owner: status, admin: status });
/** The subject (the user itself, the template's creator) or an admin; others are refused outright. */
const subjectOrAdmin = (status: number): Record<Role, number> => ({ anonymous: 401, other: 403, otherGroup: 403, owner: status, admin: status });
/** Admins only: a user who may see the deployment is refused, one who may not sees nothing. */
const adminOnly = (status: number, owner = 403): Record<Role, number> => ({ anonymous: 401, other: 403, otherGroup: 403, owner, admin: status });

const mayChange = (role: Role) => role === 'owner' || role === 'admin';
/** Owner and admin act on a deployment of their own (the request changes its state); the rest aim at the owner's. */
const ownDeployment = (role: Role, f: AccessFixtures, opts: { stuck?: boolean } = {}) => (mayChange(role) ? f.freshDeployment(opts) : f.deploymentId);
const ownResource = (role: Role, f: AccessFixtures) => (mayChange(role) ? f.freshResource() : { deploymentId: f.deploymentId, resourceId: f.resourceId });
const unique = (role: Role) => `${role}-${crypto.randomUUID().slice(0, 8)}`;
const d = (f: AccessFixtures) => `/api/v1/deployments/${f.deploymentId}`;
const r = (f: AccessFixtures) => `${d(f)}/resources/${f.resourceId}`;
const ld = (f: AccessFixtures) => `/deployments/${f.deploymentId}`;

/** Every route of the app, as Hono lists them, with who gets what. A route missing here fails the test. */
const RULES: Record<string, Rule> = {
  'GET /api/v1/health': { expect: everyone(200), ask: () => ({ path: '/api/v1/health' }) },
  'GET /api/v1/configuration': { expect: everyone(200), ask: () => ({ path: '/api/v1/configuration' }) },
  'GET /api/v1/openapi.json': { expect: everyone(200), ask: () => ({ path: '/api/v1/openapi.json' }) },
  'GET /docs': { expect: everyone(200), ask: () => ({ path: '/docs' }) },

  // Every role is registered already, so the explicit registration answers 409 once the token is accepted.
  'POST /api/v1/users': { expect: signedIn(409), ask: () => ({ path: '/api/v1/users' }) },
  'GET /api/v1/users': { expect: signedIn(200), ask: () => ({ path: '/api/v1/users' }) },
  'GET /api/v1/users/:id': { expect: subjectOrAdmin(200), ask: (_role, f) => ({ path: `/api/v1/users/${f.ownerId}` }) },
  'PATCH /api/v1/users/:id': { expect: subjectOrAdmin(204), ask: (_role, f) => ({ path: `/api/v1/users/${f.ownerId}`, json: { picture: 'https://example.org/me.png' } }) },
  'DELETE /api/v1/users/:id': {
    expect: subjectOrAdmin(204),
    // The subject deletes itself; everyone else aims at a user of its own.
    ask: async (role, f) => {
      const victim = await f.disposableUser();
      return { path: `/api/v1/users/${victim.id}`, token: role === 'owner' ? victim.token : undefined };
    },
  },

  'POST /api/v1/templates': { expect: signedIn(201), ask: (role) => ({ path: '/api/v1/templates', json: { content: `${singleNodeTemplate()}# ${unique(role)}\n`, name: unique(role) } }) },
  'GET /api/v1/templates': { expect: signedIn(200), ask: () => ({ path: '/api/v1/templates' }) },
  'GET /api/v1/templates/:id': { expect: signedIn(200), ask: (_role, f) => ({ path: `/api/v1/templates/${f.templateId}` }) },
  'GET /api/v1/templates/:id/inputs': { expect: signedIn(200), ask: (_role, f) => ({ path: `/api/v1/templates/${f.templateId}/inputs` }) },
  'PUT /api/v1/templates/:id': { expect: subjectOrAdmin(200), ask: (role, f) => ({ path: `/api/v1/templates/${f.templateId}`, json: { name: unique(role) } }) },
  'DELETE /api/v1/templates/:id': { expect: subjectOrAdmin(204), ask: async (_role, f) => ({ path: `/api/v1/templates/${await f.unusedTemplate()}` }) },

  'POST /api/v1/deployments': { expect: signedIn(202), ask: (_role, f) => ({ path: '/api/v1/deployments', json: { template_id: f.templateId } }) },
  'GET /api/v1/deployments': { expect: signedIn(200), ask: () => ({ path: '/api/v1/deployments' }) },
  'GET /api/v1/deployments/:id': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: d(f) }) },
  'PATCH /api/v1/deployments/:id': { expect: ownerOrAdmin(202), ask: (role, f) => ({ path: `/api/v1/deployments/${ownDeployment(role, f)}`, json: { template_inputs: { vm_count: 1 } } }) },
  'DELETE /api/v1/deployments/:id': { expect: ownerOrAdmin(202), ask: (role, f) => ({ path: `/api/v1/deployments/${ownDeployment(role, f)}` }) },
  'POST /api/v1/deployments/:id/reset-status': { expect: ownerOrAdmin(202), ask: (role, f) => ({ path: `/api/v1/deployments/${ownDeployment(role, f, { stuck: true })}/reset-status` }) },
  'POST /api/v1/deployments/:id/owners': {
    expect: adminOnly(202),
    ask: (role, f) => ({ path: `/api/v1/deployments/${role === 'admin' ? f.freshDeployment() : f.deploymentId}/owners`, json: { id: f.otherGroupId } }),
  },
  // Removing someone who is no owner changes nothing (204), once the caller may change owners at all.
  'DELETE /api/v1/deployments/:id/owners/:user_id': { expect: adminOnly(204), ask: (_role, f) => ({ path: `${d(f)}/owners/${f.otherGroupId}` }) },

  'GET /api/v1/deployments/:dep_id/resources': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${d(f)}/resources` }) },
  'GET /api/v1/deployments/:dep_id/resources/:id': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: r(f) }) },
  'PATCH /api/v1/deployments/:dep_id/resources/:id/start': { expect: ownerOrAdmin(202), ask: (role, f) => resourcePath(ownResource(role, f), 'start') },
  'PATCH /api/v1/deployments/:dep_id/resources/:id/stop': { expect: ownerOrAdmin(202), ask: (role, f) => resourcePath(ownResource(role, f), 'stop') },
  'PATCH /api/v1/deployments/:dep_id/resources/:id/reboot': {
    expect: ownerOrAdmin(202),
    ask: async (role, f) => resourcePath(mayChange(role) ? await f.startedResource() : ownResource(role, f), 'reboot'),
  },
  'PATCH /api/v1/deployments/:dep_id/resources/:id/reset-status': { expect: ownerOrAdmin(202), ask: (role, f) => resourcePath(ownResource(role, f), 'reset-status') },

  'GET /api/v1/deployments/:dep_id/logs': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${d(f)}/logs` }) },
  'DELETE /api/v1/deployments/:dep_id/logs': { expect: { ...ownerOrAdmin(204), owner: 403 }, ask: (_role, f) => ({ path: `${d(f)}/logs` }) },
  'GET /api/v1/deployment/:dep_id/logs': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `/api/v1/deployment/${f.deploymentId}/logs` }) },
  'DELETE /api/v1/deployment/:dep_id/logs': { expect: { ...ownerOrAdmin(204), owner: 403 }, ask: (_role, f) => ({ path: `/api/v1/deployment/${f.deploymentId}/logs` }) },
  'GET /api/v1/deployments/:id/events': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${d(f)}/events` }) },
  'GET /api/v1/events': { expect: signedIn(200), ask: () => ({ path: '/api/v1/events' }) },
};

/** The legacy INDIGO routes, as the legacy router lists them. */
const LEGACY_RULES: Record<string, Rule> = {
  'GET /info': { expect: everyone(200), ask: () => ({ path: '/info' }) },
  'GET /configuration': { expect: signedIn(200), ask: () => ({ path: '/configuration' }) },
  'GET /deployments': { expect: signedIn(200), ask: () => ({ path: '/deployments' }) },
  'POST /deployments': { expect: signedIn(201), ask: () => ({ path: '/deployments', json: { template: singleNodeTemplate() } }) },
  'GET /deployments/:id': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: ld(f) }) },
  'PUT /deployments/:id': {
    expect: ownerOrAdmin(202),
    ask: (role, f) => ({ path: `/deployments/${ownDeployment(role, f)}`, json: { template: singleNodeTemplate(), parameters: { vm_count: 1 } } }),
  },
  'PATCH /deployments/:id': { expect: ownerOrAdmin(204), ask: (role, f) => ({ path: `/deployments/${ownDeployment(role, f, { stuck: true })}`, json: { status: 'CREATE_FAILED' } }) },
  'DELETE /deployments/:id': { expect: ownerOrAdmin(204), ask: (role, f) => ({ path: `/deployments/${ownDeployment(role, f)}` }) },
  'GET /deployments/:id/template': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${ld(f)}/template` }) },
  'GET /deployments/:id/log': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${ld(f)}/log` }) },
  'GET /deployments/:id/extrainfo': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${ld(f)}/extrainfo` }) },
  'GET /deployments/:id/resources': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${ld(f)}/resources` }) },
  'GET /deployments/:id/resources/:rid': { expect: ownerOrAdmin(200), ask: (_role, f) => ({ path: `${ld(f)}/resources/${f.resourceId}` }) },
  'POST /deployments/:id/resources/:rid/actions': {
    expect: ownerOrAdmin(202),
    ask: (role, f) => {
      const target = ownResource(role, f);
      return { path: `/deployments/${target.deploymentId}/resources/${target.resourceId}/actions`, json: { type: 'stop' } };
    },
  },
};

function resourcePath(target: { deploymentId: string; resourceId: string }, action: string): Ask {
  return { path: `/api/v1/deployments/${target.deploymentId}/resources/${target.resourceId}/${action}` };
}

/** `METHOD path` of every route a Hono app answers (middleware, registered for ALL methods, left out). */
const routesOf = (app: { routes: Array<{ method: string; path: string }> }) => [...new Set(app.routes.filter((x) => x.method !== 'ALL').map((x) => `${x.method} ${x.path}`))].sort();

let rig: DeploymentRig;
let f: AccessFixtures;
beforeAll(async () => {
  rig = await startDeploymentRig();
  f = await createAccessFixtures(rig);
}, 120_000);
afterAll(async () => rig?.close());

async function answerTo(method: string, ask: Ask, role: Role): Promise<{ status: number; text: string }> {
  const token = ask.token ?? (role === 'anonymous' ? undefined : f.tokens[role]);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (ask.json !== undefined) headers['content-type'] = 'application/json';
  const res = await sendWithDeadline(rig.app.url, { method, target: ask.path, headers, body: ask.json === undefined ? undefined : JSON.stringify(ask.json), operation: `${method} ${ask.path}` }, 10_000);
  return { status: res.status, text: res.text };
}

/** The answer with the fixture ids blanked out, to compare with the answer about ids that do not exist. */
const withoutIds = (text: string, ids: string[]) => ids.reduce((s, id) => s.replaceAll(id, '<id>'), text);

/**
 * Every route as every role, against the expected status; a 404 must also read exactly like the one for ids
 * that do not exist, so a caller cannot tell someone else's deployment from no deployment.
 */
async function checkMatrix(rules: Record<string, Rule>): Promise<void> {
  const wrong: string[] = [];
  for (const [route, rule] of Object.entries(rules)) {
    const method = route.split(' ')[0]!;
    for (const role of ROLES) {
      const ask = await rule.ask(role, f);
      const got = await answerTo(method, ask, role);
      if (got.status !== rule.expect[role]) wrong.push(`${route} as ${role}: expected ${rule.expect[role]}, got ${got.status} ${got.text.slice(0, 200)}`);
      if (rule.expect[role] !== 404) continue;
      const ids = [f.deploymentId, f.resourceId];
      const nowhere = await answerTo(method, { ...ask, path: ids.reduce((p, id) => p.replaceAll(id, crypto.randomUUID()), ask.path) }, role);
      const [seen, unknown] = [withoutIds(got.text, ids), nowhere.text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')];
      if (nowhere.status !== 404 || seen !== unknown) wrong.push(`${route} as ${role}: the 404 differs from one for an unknown id: ${seen.slice(0, 200)} vs ${unknown.slice(0, 200)}`);
    }
  }
  expect(wrong).toEqual([]);
}

describe('access-control matrix', () => {
  it('has a rule for every route of the app and every operation it documents, and no rule for a route that is gone', async () => {
    const served = routesOf(createApp(rig.app.deps));
    expect(served.filter((route) => !(route in RULES)).map((route) => `no rule for ${route}`)).toEqual([]);
    const doc = (await rig.app.call('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.length).toBeGreaterThanOrEqual(25);
    expect(documented.filter((route) => !(route in RULES)).map((route) => `no rule for the documented ${route}`)).toEqual([]);
    expect(Object.keys(RULES).filter((route) => !served.includes(route)).map((route) => `rule for a route the app does not serve: ${route}`)).toEqual([]);
  });

  it('has a rule for every legacy route', () => {
    const served = routesOf(legacyApp(rig.app.deps));
    expect(served).toHaveLength(Object.keys(LEGACY_RULES).length);
    expect(served.filter((route) => !(route in LEGACY_RULES)).map((route) => `no rule for ${route}`)).toEqual([]);
  });

  it('answers 405 naming the allowed methods to any other method on a legacy route', async () => {
    const methodsByPath = new Map<string, string[]>();
    for (const route of routesOf(legacyApp(rig.app.deps))) {
      const [method, path] = route.split(' ') as [string, string];
      methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method]);
    }
    const wrong: string[] = [];
    for (const [pattern, methods] of methodsByPath) {
      const path = pattern.replace(':id', f.deploymentId).replace(':rid', f.resourceId);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !methods.includes(m))) {
        const res = await rig.app.call(method, path, { token: f.tokens.admin });
        const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort();
        if (res.status !== 405 || allow.join() !== [...methods].sort().join()) wrong.push(`${method} ${pattern}: ${res.status}, Allow: ${allow.join(', ')} (serves ${methods.join(', ')})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers every v1 route as the rules say, for every kind of caller', async () => {
    await checkMatrix(RULES);
  }, 180_000);

  it('answers every legacy route as the rules say, for every kind of caller', async () => {
    await checkMatrix(LEGACY_RULES);
  }, 180_000);
});
