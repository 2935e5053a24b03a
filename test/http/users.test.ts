import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentOwners, deployments, users } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvKx3Yh0bqz1d6fWm9YwqkS0Xc3M9tO0h3YH1y5v8rK alice@laptop';

async function registered(sub: string, groups = ['users']) {
  const token = await t.token(sub, { groups });
  const res = await t.call('POST', '/api/v1/users', { token });
  expect(res.status).toBe(201);
  return { token, id: res.body.id as string };
}

describe('POST /api/v1/users', () => {
  it('registers the caller from the token claims and answers 201 with a Location', async () => {
    const token = await t.token('reg-1', { claims: { name: 'Mario Rossi', preferred_username: 'mrossi', email: 'mario@example.org' } });
    const res = await t.call('POST', '/api/v1/users', { token });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${t.url}/api/v1/users/${res.body.id}`);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, res.body.id));
    expect(row).toMatchObject({ sub: 'reg-1', issuer: t.issuer.issuer, name: 'Mario Rossi', username: 'mrossi', email: 'mario@example.org' });
  });

  it('answers 409 with the existing id when already registered', async () => {
    const { token, id } = await registered('reg-2');
    const res = await t.call('POST', '/api/v1/users', { token });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, id });
  });

  it('answers 409 when the caller was registered implicitly by an earlier request', async () => {
    const token = await t.token('reg-3');
    expect((await t.call('GET', '/api/v1/users', { token })).status).toBe(200);
    expect((await t.call('POST', '/api/v1/users', { token })).status).toBe(409);
  });

  it('keeps two users with the same sub from different issuers apart', async () => {
    const { id } = await registered('same-sub');
    await t.database.db.insert(users).values({ issuer: 'https://other-issuer.example.org', sub: 'same-sub' });
    const rows = await t.database.db.select().from(users).where(eq(users.sub, 'same-sub'));
    expect(rows).toHaveLength(2);
    const res = await t.call('GET', `/api/v1/users/${id}`, { token: await t.token('same-sub') });
    expect(res.body.issuer).toBe(t.issuer.issuer);
  });

  it('answers 401 without a token', async () => {
    expect((await t.call('POST', '/api/v1/users')).status).toBe(401);
  });
});

describe('GET /api/v1/users/{id}', () => {
  it('returns the caller with the spec fields and a masked refresh token', async () => {
    const { token, id } = await registered('get-1');
    await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { refresh_token: 'rt-very-secret-value' } });
    const res = await t.call('GET', `/api/v1/users/${id}`, { token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      ['created_at', 'email', 'id', 'issuer', 'name', 'picture', 'public_ssh_key', 'refresh_token', 'sub', 'username'].sort(),
    );
    expect(res.body.refresh_token).toBe('*****');
    expect(JSON.stringify(res.body)).not.toContain('rt-very-secret-value');
    expect(new Date(res.body.created_at).toString()).not.toBe('Invalid Date');
  });

  it('answers 403 when a user reads someone else', async () => {
    const a = await registered('get-2a');
    const b = await registered('get-2b');
    const res = await t.call('GET', `/api/v1/users/${b.id}`, { token: a.token });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/only access your own user/);
  });

  it('lets an admin read anyone', async () => {
    const b = await registered('get-3b');
    const admin = await t.token('get-3-admin', { groups: ['admins'] });
    const res = await t.call('GET', `/api/v1/users/${b.id}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.sub).toBe('get-3b');
  });

  it('accepts its own id in upper case', async () => {
    const { token, id } = await registered('get-upper');
    const res = await t.call('GET', `/api/v1/users/${id.toUpperCase()}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    const admin = await t.token('get-4-admin', { groups: ['admins'] });
    const missing = await t.call('GET', `/api/v1/users/${crypto.randomUUID()}`, { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/not found/);
    const malformed = await t.call('GET', '/api/v1/users/not-a-uuid', { token: admin });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0].loc).toEqual(['param', 'id']);
  });
});

describe('PATCH /api/v1/users/{id}', () => {
  it('updates picture and key, stores the refresh token encrypted, and answers 204', async () => {
    const { token, id } = await registered('patch-1');
    const res = await t.call('PATCH', `/api/v1/users/${id}`, {
      token,
      json: { picture: 'https://www.gravatar.com/avatar/x?d=identicon', public_ssh_key: SSH_KEY, refresh_token: 'eyJ.refresh.token' },
    });
    expect(res.status).toBe(204);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, id));
    expect(row.picture).toBe('https://www.gravatar.com/avatar/x?d=identicon');
    expect(row.publicSshKey).toBe(SSH_KEY);
    expect(row.refreshTokenEncrypted).toMatch(/^v1\./);
    expect(row.refreshTokenEncrypted).not.toContain('eyJ.refresh.token');
    expect(await t.deps.secrets.open(row.refreshTokenEncrypted!)).toBe('eyJ.refresh.token');
  });

  it('clears a field set to null', async () => {
    const { token, id } = await registered('patch-2');
    await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { public_ssh_key: SSH_KEY } });
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { public_ssh_key: null } })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/users/${id}`, { token })).body.public_ssh_key).toBeNull();
  });

  it('answers 422 listing every bad field and changes nothing', async () => {
    const { token, id } = await registered('patch-3');
    const res = await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { picture: 'not a url', public_ssh_key: 'hello', sub: 'evil' } });
    expect(res.status).toBe(422);
    const fields = res.body.errors.map((e: { loc: string[] }) => e.loc.slice(1).join('.') || e.loc.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['picture', 'public_ssh_key']));
    expect(JSON.stringify(res.body.errors)).toContain('sub');
    const [row] = await t.database.db.select().from(users).where(eq(users.id, id));
    expect(row.picture).toBeNull();
    expect(row.sub).toBe('patch-3');
  });

  it('refuses a public key that would smuggle extra authorized_keys lines, and NUL characters', async () => {
    const { token, id } = await registered('patch-ssh');
    for (const key of [`${SSH_KEY}\ncommand="curl evil" ssh-rsa BBBB evil`, `${SSH_KEY}\u0000`]) {
      const res = await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { public_ssh_key: key } });
      expect(res.status).toBe(422);
    }
    expect((await t.call('GET', `/api/v1/users/${id}`, { token })).body.public_ssh_key).toBeNull();
  });

  it('answers 400 on malformed JSON and 422 on a non-object body', async () => {
    const { token, id } = await registered('patch-4');
    const bad = await t.call('PATCH', `/api/v1/users/${id}`, { token, body: '{"picture":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ status: 400, detail: 'Malformed JSON in request body' });
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { token, json: [1, 2] })).status).toBe(422);
    expect((await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { picture: 42 } })).status).toBe(422);
  });

  it('answers 403 for someone else and 404 (admin) for an unknown id', async () => {
    const a = await registered('patch-5a');
    const b = await registered('patch-5b');
    expect((await t.call('PATCH', `/api/v1/users/${b.id}`, { token: a.token, json: { picture: null } })).status).toBe(403);
    const admin = await t.token('patch-5-admin', { groups: ['admins'] });
    expect((await t.call('PATCH', `/api/v1/users/${crypto.randomUUID()}`, { token: admin, json: { picture: null } })).status).toBe(404);
  });

  it('never logs the refresh token', async () => {
    const { token, id } = await registered('patch-6');
    await t.call('PATCH', `/api/v1/users/${id}`, { token, json: { refresh_token: 'super-secret-refresh-123' } });
    expect(t.logger.text()).not.toContain('super-secret-refresh-123');
  });
});

describe('DELETE /api/v1/users/{id}', () => {
  it('deletes the caller and answers 204; the next request registers them again with a new id', async () => {
    const { token, id } = await registered('del-1');
    expect((await t.call('DELETE', `/api/v1/users/${id}`, { token })).status).toBe(204);
    expect(await t.database.db.select().from(users).where(eq(users.id, id))).toHaveLength(0);
    const again = await t.call('POST', '/api/v1/users', { token });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
  });

  it('answers 409 when the user owns deployments and keeps the user', async () => {
    const { token, id } = await registered('del-2');
    const depId = crypto.randomUUID();
    await t.database.db.insert(deployments).values({ id: depId, status: 0, createdBy: id });
    await t.database.db.insert(deploymentOwners).values({ deploymentId: depId, userId: id, deploymentCreatedAt: new Date() });
    const res = await t.call('DELETE', `/api/v1/users/${id}`, { token });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/owns deployments/);
    expect(await t.database.db.select().from(users).where(eq(users.id, id))).toHaveLength(1);
  });

  it('answers 403 for someone else, 404 for unknown and 422 for malformed ids', async () => {
    const a = await registered('del-3a');
    const b = await registered('del-3b');
    expect((await t.call('DELETE', `/api/v1/users/${b.id}`, { token: a.token })).status).toBe(403);
    const admin = await t.token('del-3-admin', { groups: ['admins'] });
    expect((await t.call('DELETE', `/api/v1/users/${crypto.randomUUID()}`, { token: admin })).status).toBe(404);
    expect((await t.call('DELETE', '/api/v1/users/123', { token: admin })).status).toBe(422);
    expect((await t.call('DELETE', `/api/v1/users/${b.id}`, { token: admin })).status).toBe(204);
  });
});

describe('GET /api/v1/users', () => {
  it('shows a non-admin only themself', async () => {
    const a = await registered('list-1a');
    await registered('list-1b');
    const res = await t.call('GET', '/api/v1/users', { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: { id: string }) => u.id)).toEqual([a.id]);
    expect(res.body.page.total_elements).toBe(1);
  });

  it('filters by sub, issuer, email, username and name for admins', async () => {
    await registered('list-2');
    const admin = await t.token('list-2-admin', { groups: ['admins'] });
    for (const q of ['sub=list-2', 'email=list-2%40example.org', 'username=list-2', 'name=list-2%20tester']) {
      const res = await t.call('GET', `/api/v1/users?${q}`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.data.map((u: { sub: string }) => u.sub)).toEqual(['list-2']);
    }
    const byIssuer = await t.call('GET', `/api/v1/users?issuer=${encodeURIComponent(t.issuer.issuer)}&size=100`, { token: admin });
    expect(byIssuer.body.data.length).toBeGreaterThan(1);
    expect(byIssuer.body.data.every((u: { issuer: string }) => u.issuer === t.issuer.issuer)).toBe(true);
  });
});

describe('when another replica deleted the caller meanwhile', () => {
  it('answers 409 once, then registers the caller again', async () => {
    const { token, id } = await registered('vanishing');
    expect((await t.call('GET', '/api/v1/users', { token })).status).toBe(200);
    await t.database.db.delete(users).where(eq(users.id, id));
    const content = `tosca_definitions_version: tosca_simple_yaml_1_0\nmetadata:\n  template_name: vanishing-${crypto.randomUUID()}\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.Compute\n`;
    const first = await t.call('POST', '/api/v1/templates', { token, json: { content } });
    expect(first.status).toBe(409);
    expect(first.body.detail).toMatch(/deleted meanwhile/);
    const second = await t.call('POST', '/api/v1/templates', { token, json: { content } });
    expect(second.status).toBe(201);
    const [row] = await t.database.db.select().from(users).where(eq(users.sub, 'vanishing'));
    expect(row.id).not.toBe(id);
  });
});

describe('registration guards', () => {
  it('answers 422 when the token subject cannot identify a user, and stores nothing', async () => {
    const longSub = 's'.repeat(300);
    const res = await t.call('POST', '/api/v1/users', { token: await t.token(longSub) });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ loc: ['token', 'sub'], msg: expect.stringMatching(/Too big/) }]);
    expect(await t.database.db.select().from(users).where(eq(users.sub, longSub))).toHaveLength(0);
  });

  it('registers users whose optional claims are unusual, dropping only what cannot be stored', async () => {
    const token = await t.token('odd-claims', { claims: { email: 'root@localhost', name: 'n'.repeat(300), preferred_username: 'a\u0000b' } });
    const res = await t.call('POST', '/api/v1/users', { token });
    expect(res.status).toBe(201);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, res.body.id));
    expect(row).toMatchObject({ email: 'root@localhost', name: null, username: null });
    expect((await t.call('GET', '/api/v1/users', { token })).status).toBe(200);
  });

  it('answers 403 to members of no allowed group when OIDC_ALLOWED_GROUPS is set; admins pass', async () => {
    const gated = await createTestApp({ OIDC_ALLOWED_GROUPS: 'cloud-users' });
    try {
      const outsider = await gated.call('POST', '/api/v1/users', { token: await gated.token('outsider', { groups: ['students'] }) });
      expect(outsider.status).toBe(403);
      expect(outsider.body.detail).toMatch(/restricted to members of: cloud-users/);
      expect((await gated.call('GET', '/api/v1/users', { token: await gated.token('outsider', { groups: ['students'] }) })).status).toBe(403);
      expect((await gated.call('POST', '/api/v1/users', { token: await gated.token('member', { groups: ['cloud-users'] }) })).status).toBe(201);
      expect((await gated.call('POST', '/api/v1/users', { token: await gated.token('boss', { groups: ['admins'] }) })).status).toBe(201);
      expect(await gated.database.db.select().from(users).where(eq(users.sub, 'outsider'))).toHaveLength(0);
    } finally {
      await gated.close();
    }
  });
});
