import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments } from '../../src/db/schema.js';
import { DEPLOYMENT_STATUS as S } from '../../src/domain/deployment-status.js';
import { startDeploymentRig, type DeploymentRig } from '../e2e/deployments.helpers.js';
import {
  dashboardCreateBody,
  expectLegacyError,
  expectNoNulls,
  href,
  JSON_UTF8,
  legacy,
  LEGACY_DATE,
  legacyCreate,
  orchentCreateBody,
  orchentHeaders,
  rels,
  TEMPLATE,
  TEXT_UTF8,
} from './legacy.helpers.js';

// No workers: deployments stay where the requests put them, and SQL moves them where a test needs them.
let rig: DeploymentRig;
let pager: string;

const setStatus = (id: string, status: number) => rig.app.deps.db.update(deployments).set({ status }).where(eq(deployments.id, id));

beforeAll(async () => {
  rig = await startDeploymentRig({ workers: false });
  pager = await rig.app.token('pager');
}, 60_000);
afterAll(async () => rig?.close());

describe('conventions (checklist 1–5)', () => {
  it('1: GET /info answers a JSON object of string leaves without a token', async () => {
    const res = await legacy(rig, 'GET', '/info');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_UTF8);
    const leaves = (v: unknown): unknown[] => (v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : [v]);
    expect(typeof res.body).toBe('object');
    expect(leaves(res.body).every((l) => typeof l === 'string')).toBe(true);
    expect(typeof res.body.projectVersion).toBe('string');
  });

  it('2: GET /configuration is a flat object of strings with im_url', async () => {
    const res = await legacy(rig, 'GET', '/configuration', { token: rig.alice });
    expect(res.status).toBe(200);
    expect(res.body.im_url).toBe(rig.sim.url);
    expect(Object.values(res.body).every((v) => typeof v === 'string')).toBe(true);
  });

  it('3: GET /deployments without a token is a legacy 401 with WWW-Authenticate', async () => {
    const res = await legacy(rig, 'GET', '/deployments');
    expectLegacyError(res, 401, 'Unauthorized');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('4: the scheme word is case-insensitive', async () => {
    expect((await legacy(rig, 'GET', '/deployments', { token: rig.alice, scheme: 'bearer' })).status).toBe(200);
    expect((await legacy(rig, 'GET', '/deployments', { token: rig.alice, scheme: 'BEARER' })).status).toBe(200);
  });

  it('5: an empty list has only a self link, no content and a zero page', async () => {
    const carol = await rig.app.token('carol');
    const res = await legacy(rig, 'GET', '/deployments?createdBy=me', { token: carol });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_UTF8);
    expect(res.body).toEqual({
      links: [{ rel: 'self', href: `${rig.app.url}/deployments?createdBy=me` }],
      content: [],
      page: { size: 10, totalElements: 0, totalPages: 0, number: 0 },
    });
  });
});

describe('create (checklist 6–10)', () => {
  it('6: the dashboard body gives 201 with the full Deployment, no null anywhere', async () => {
    const res = await legacy(rig, 'POST', '/deployments/', { token: rig.alice, scheme: 'bearer', json: dashboardCreateBody({ userGroup: 'physics' }) });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('content-type')).toBe(JSON_UTF8);
    const d = res.body;
    expect(d).toMatchObject({ status: 'CREATE_IN_PROGRESS', task: 'NONE', outputs: {}, userGroup: 'physics', createdBy: { subject: 'alice', issuer: rig.app.issuer.issuer } });
    expect(d.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.creationTime).toMatch(LEGACY_DATE);
    expect(d.updateTime).toMatch(LEGACY_DATE);
    expect(d.links[0]).toEqual({ rel: 'self', href: `${rig.app.url}/deployments/${d.uuid}` });
    expect('statusReason' in d).toBe(false);
    expect('callback' in d).toBe(false);
    expectNoNulls(d);
  });

  it('7: the orchent body (keepLastAttempt "true", maxProvidersRetry, null parameters) gives 201', async () => {
    const res = await legacy(rig, 'POST', '/deployments', { token: rig.alice, json: orchentCreateBody({ maxProvidersRetry: 1 }), headers: orchentHeaders(true) });
    expect(res.status, res.text).toBe(201);
    const v1 = await rig.app.call('GET', `/api/v1/deployments/${res.body.uuid}`, { token: rig.alice });
    expect(v1.body).toMatchObject({ keep_last_attempt: true, max_providers: 1, template_inputs: {} });
  });

  it('8: no template is a 400, another content type a 415, an unknown field is ignored', async () => {
    const missing = await legacy(rig, 'POST', '/deployments', { token: rig.alice, json: { parameters: {} } });
    expectLegacyError(missing, 400, 'Bad Request', /A TOSCA template must be provided/);
    const text = await legacy(rig, 'POST', '/deployments', { token: rig.alice, body: JSON.stringify({ template: TEMPLATE }), headers: { 'content-type': 'text/plain' } });
    expectLegacyError(text, 415, 'Unsupported Media Type');
    const extra = await legacy(rig, 'POST', '/deployments', { token: rig.alice, json: { ...dashboardCreateBody(), colour: 'blue', nested: { a: 1 } } });
    expect(extra.status, extra.text).toBe(201);
    const malformed = await legacy(rig, 'POST', '/deployments', { token: rig.alice, body: '{"template":', headers: { 'content-type': 'application/json' } });
    expectLegacyError(malformed, 400, 'Bad Request');
  });

  it('9: a non-http callback, a zero timeout and a provider timeout above the total are 400s', async () => {
    const bad = async (patch: Record<string, unknown>, message: RegExp) =>
      expectLegacyError(await legacy(rig, 'POST', '/deployments', { token: rig.alice, json: { ...dashboardCreateBody(), ...patch } }), 400, 'Bad Request', message);
    await bad({ callback: 'ftp://x' }, /callback/);
    await bad({ timeoutMins: 0 }, /timeoutMins/);
    await bad({ providerTimeoutMins: 10, timeoutMins: 5 }, /ProviderTimeout must be <= Timeout/);
  });

  it('10: a userGroup the caller is not in is a 403', async () => {
    const res = await legacy(rig, 'POST', '/deployments', { token: rig.alice, json: dashboardCreateBody({ userGroup: 'admins' }) });
    expectLegacyError(res, 403, 'Forbidden');
  });

  it('stores an inline template once, by checksum, in the templates table', async () => {
    const a = await legacyCreate(rig, rig.alice);
    const b = await legacyCreate(rig, rig.bob);
    const [ra, rb] = await Promise.all([a, b].map((d) => rig.app.call('GET', `/api/v1/deployments/${d.uuid}`, { token: rig.root })));
    expect(ra.body.template_id).toBe(rb.body.template_id);
    const t = await rig.app.call('GET', `/api/v1/templates/${ra.body.template_id}`, { token: rig.alice });
    expect(t.status).toBe(200);
  });
});

describe('reading one (checklist 11, 12, 24, 25, 32)', () => {
  let id: string;
  beforeAll(async () => {
    id = (await legacyCreate(rig, rig.alice)).uuid;
  });

  it('11: links self, resources, template are absolute and honour X-Forwarded-Proto/Host', async () => {
    const res = await legacy(rig, 'GET', `/deployments/${id}`, { token: rig.alice, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'orch.example', 'x-forwarded-prefix': '/orchestrator' } });
    expect(res.status).toBe(200);
    expect(rels(res.body.links)).toEqual(['self', 'resources', 'template']);
    const base = `https://orch.example/orchestrator/deployments/${id}`;
    expect(res.body.links.map((l: any) => l.href)).toEqual([base, `${base}/resources`, `${base}/template`]);
  });

  it('12: an unknown id is a legacy 404 naming it', async () => {
    const unknown = crypto.randomUUID();
    expectLegacyError(await legacy(rig, 'GET', `/deployments/${unknown}`, { token: rig.alice }), 404, 'Not Found', `The deployment ${unknown} doesn't exist`);
    expectLegacyError(await legacy(rig, 'GET', '/deployments/a.json', { token: rig.alice }), 404, 'Not Found', "The deployment a.json doesn't exist");
  });

  it('only owners and admins see it: another user gets the same 404', async () => {
    expectLegacyError(await legacy(rig, 'GET', `/deployments/${id}`, { token: rig.bob }), 404, 'Not Found', `The deployment ${id} doesn't exist`);
    expect((await legacy(rig, 'GET', `/deployments/${id}`, { token: rig.root })).status).toBe(200);
  });

  it('24: the template comes back as the exact submitted text, even with Accept: application/json', async () => {
    const res = await legacy(rig, 'GET', `/deployments/${id}/template`, { token: rig.alice, headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TEXT_UTF8);
    expect(res.text).toBe(TEMPLATE);
  });

  it('25: log is text, extrainfo is parseable JSON ([] before any infrastructure)', async () => {
    const log = await legacy(rig, 'GET', `/deployments/${id}/log`, { token: rig.alice, headers: { accept: 'application/json' } });
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toBe(TEXT_UTF8);
    const extra = await legacy(rig, 'GET', `/deployments/${id}/extrainfo`, { token: rig.alice });
    expect(extra.status).toBe(200);
    expect(JSON.parse(extra.text)).toEqual([]);
    const unknown = crypto.randomUUID();
    for (const sub of ['template', 'log', 'extrainfo', 'resources']) {
      expectLegacyError(await legacy(rig, 'GET', `/deployments/${unknown}/${sub}`, { token: rig.alice }), 404, 'Not Found');
    }
  });

  it('32: extra slashes and a trailing slash change nothing', async () => {
    for (const path of [`/deployments//${id}`, `/deployments/${id}/`, `//deployments/${id}`, '/deployments/?createdBy=me', `/deployments/${id}/template/`]) {
      const res = await legacy(rig, 'GET', path, { token: rig.alice });
      expect(res.status, path).toBe(200);
    }
  });
});

describe('listing (checklist 13–18)', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (let i = 0; i < 25; i++) ids.push((await legacyCreate(rig, pager)).uuid);
  }, 60_000);

  it('13: 25 deployments make three pages with first/prev/self/next/last, and following next sees each once', async () => {
    const p0 = await legacy(rig, 'GET', '/deployments?createdBy=me', { token: pager });
    expect(p0.body.page).toEqual({ size: 10, totalElements: 25, totalPages: 3, number: 0 });
    expect(rels(p0.body.links)).toEqual(['first', 'self', 'next', 'last']);
    expect(href(p0.body.links, 'next')).toBe(`${rig.app.url}/deployments?createdBy=me&page=1&size=10&sort=createdAt,desc`);
    expect(href(p0.body.links, 'last')).toBe(`${rig.app.url}/deployments?createdBy=me&page=2&size=10&sort=createdAt,desc`);
    const p1 = await legacy(rig, 'GET', href(p0.body.links, 'next')!, { token: pager });
    expect(rels(p1.body.links)).toEqual(['first', 'prev', 'self', 'next', 'last']);
    const p2 = await legacy(rig, 'GET', href(p1.body.links, 'next')!, { token: pager });
    expect(rels(p2.body.links)).not.toContain('next');
    expect(p2.body.content).toHaveLength(5);
    const seen = [p0, p1, p2].flatMap((p) => p.body.content.map((d: any) => d.uuid));
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual([...ids].sort());
    const times = seen.map((_, i) => [p0, p1, p2].flatMap((p) => p.body.content)[i].creationTime);
    expect(times.every((t) => LEGACY_DATE.test(t))).toBe(true);
  });

  it('14: page and size are honoured; size 0 means 10 and sizes above 2000 are 2000', async () => {
    const small = await legacy(rig, 'GET', '/deployments?page=1&size=2', { token: pager });
    expect(small.body.page).toMatchObject({ number: 1, size: 2, totalElements: 25, totalPages: 13 });
    expect(small.body.content).toHaveLength(2);
    expect((await legacy(rig, 'GET', '/deployments?size=0', { token: pager })).body.page.size).toBe(10);
    expect((await legacy(rig, 'GET', '/deployments?size=5000', { token: pager })).body.page.size).toBe(2000);
    expect((await legacy(rig, 'GET', '/deployments?page=-3&size=x', { token: pager })).body.page).toMatchObject({ number: 0, size: 10 });
    const asc = await legacy(rig, 'GET', '/deployments?sort=createdAt,asc&size=25', { token: pager });
    expect(asc.body.content.map((d: any) => d.uuid)).toEqual(ids);
  });

  it('15: createdBy=me is createdBy=<sub>@<issuer>, with or without the trailing slash', async () => {
    const uuids = async (q: string) => (await legacy(rig, 'GET', `/deployments?size=100&${q}`, { token: pager })).body.content.map((d: any) => d.uuid);
    const issuer = rig.app.issuer.issuer.replace(/\/$/, '');
    const me = await uuids('createdBy=me');
    expect(me).toHaveLength(25);
    expect(await uuids(`createdBy=pager@${issuer}`)).toEqual(me);
    expect(await uuids(`createdBy=pager@${issuer}/`)).toEqual(me);
  });

  it('16: a malformed createdBy is 400, someone else by a non-admin 403; admins list everything', async () => {
    expectLegacyError(await legacy(rig, 'GET', '/deployments?createdBy=foo', { token: pager }), 400, 'Bad Request', 'Value foo for param createdBy is illegal');
    expectLegacyError(await legacy(rig, 'GET', `/deployments?createdBy=alice@${rig.app.issuer.issuer}`, { token: pager }), 403, 'Forbidden', /Only admin can retrieve deployments for/);
    const all = await legacy(rig, 'GET', '/deployments', { token: rig.root });
    const mine = await legacy(rig, 'GET', '/deployments', { token: rig.alice });
    expect(all.body.page.totalElements).toBeGreaterThanOrEqual(25 + mine.body.page.totalElements);
    const alices = await legacy(rig, 'GET', `/deployments?createdBy=alice@${rig.app.issuer.issuer}`, { token: rig.root });
    expect(alices.body.page.totalElements).toBe(mine.body.page.totalElements);
  });

  it('17: excludedStatus leaves those statuses out of every page and next keeps it', async () => {
    await rig.app.deps.db.update(deployments).set({ status: S.DELETE_COMPLETE }).where(inArray(deployments.id, ids.slice(0, 3)));
    await rig.app.deps.db.update(deployments).set({ status: S.CREATE_FAILED }).where(inArray(deployments.id, ids.slice(3, 5)));
    let url: string | undefined = '/deployments?createdBy=me&excludedStatus=DELETE_COMPLETE,CREATE_FAILED,NOT_A_STATUS';
    const seen: any[] = [];
    const first = await legacy(rig, 'GET', url, { token: pager });
    expect(first.body.page.totalElements).toBe(20);
    expect(href(first.body.links, 'next')).toContain('excludedStatus=DELETE_COMPLETE,CREATE_FAILED');
    while (url) {
      const page = await legacy(rig, 'GET', url, { token: pager });
      seen.push(...page.body.content);
      url = href(page.body.links, 'next');
    }
    expect(seen).toHaveLength(20);
    expect(seen.some((d) => ['DELETE_COMPLETE', 'CREATE_FAILED'].includes(d.status))).toBe(false);
  });

  it('18: userGroup keeps that group only; a group the caller is not in is 403', async () => {
    await legacyCreate(rig, rig.alice, dashboardCreateBody({ userGroup: 'physics' }));
    const res = await legacy(rig, 'GET', '/deployments?userGroup=physics&size=100', { token: rig.alice });
    expect(res.status).toBe(200);
    expect(res.body.content.length).toBeGreaterThan(0);
    expect(res.body.content.every((d: any) => d.userGroup === 'physics')).toBe(true);
    expectLegacyError(await legacy(rig, 'GET', '/deployments?userGroup=admins', { token: rig.alice }), 403, 'Forbidden', "The group admins is not in the user's authorized groups");
  });
});

describe('update, reset, delete (checklist 19–23)', () => {
  it('19: PUT on CREATE_COMPLETE is 202 with the Deployment, which is then UPDATE_IN_PROGRESS', async () => {
    const { uuid } = await legacyCreate(rig, rig.alice);
    await setStatus(uuid, S.CREATE_COMPLETE);
    const { userGroup: _, ...body } = dashboardCreateBody({ parameters: { vm_count: 2 }, callback: 'http://127.0.0.1:9/cb' });
    const res = await legacy(rig, 'PUT', `/deployments/${uuid}`, { token: rig.alice, scheme: 'bearer', json: body });
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('content-type')).toBe(JSON_UTF8);
    expect(res.body).toMatchObject({ uuid, status: 'UPDATE_IN_PROGRESS', callback: 'http://127.0.0.1:9/cb' });
    expect('statusReason' in res.body).toBe(false);
    const v1 = await rig.app.call('GET', `/api/v1/deployments/${uuid}`, { token: rig.alice });
    expect(v1.body).toMatchObject({ status_name: 'UPDATE_IN_PROGRESS', template_inputs: { vm_count: 2 } });
  });

  it('20: PUT while creating is 409; another user cannot update it (404: E5 never reveals it)', async () => {
    const { uuid } = await legacyCreate(rig, rig.alice);
    expectLegacyError(await legacy(rig, 'PUT', `/deployments/${uuid}`, { token: rig.alice, json: dashboardCreateBody() }), 409, 'Conflict', /CREATE_IN_PROGRESS/);
    await setStatus(uuid, S.CREATE_COMPLETE);
    expectLegacyError(await legacy(rig, 'PUT', `/deployments/${uuid}`, { token: rig.bob, json: dashboardCreateBody() }), 404, 'Not Found');
    expectLegacyError(await legacy(rig, 'DELETE', `/deployments/${uuid}?force=true`, { token: rig.alice }), 403, 'Forbidden');
    const changed = await legacy(rig, 'PUT', `/deployments/${uuid}`, { token: rig.alice, json: dashboardCreateBody({ template: `${TEMPLATE}\n# changed\n` }) });
    expectLegacyError(changed, 400, 'Bad Request', /template/);
  });

  it('21: PATCH DELETE_FAILED on DELETE_IN_PROGRESS is an empty 204; elsewhere 409, another status 400', async () => {
    const { uuid } = await legacyCreate(rig, rig.alice);
    expect((await legacy(rig, 'DELETE', `/deployments/${uuid}?force=false`, { token: rig.alice })).status).toBe(204);
    const res = await legacy(rig, 'PATCH', `/deployments/${uuid}`, { token: rig.alice, scheme: 'bearer', json: { status: 'DELETE_FAILED' } });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const after = await legacy(rig, 'GET', `/deployments/${uuid}`, { token: rig.alice });
    expect(after.body.status).toBe('DELETE_FAILED');
    expect(after.body.task).toBe('NONE');
    expect('statusReason' in after.body).toBe(false);
    const done = (await legacyCreate(rig, rig.alice)).uuid;
    await setStatus(done, S.CREATE_COMPLETE);
    expectLegacyError(await legacy(rig, 'PATCH', `/deployments/${done}`, { token: rig.alice, json: { status: 'DELETE_FAILED' } }), 409, 'Conflict', 'Cannot reset a deployment in CREATE_COMPLETE state');
    expectLegacyError(await legacy(rig, 'PATCH', `/deployments/${done}`, { token: rig.alice, json: { status: 'CREATE_COMPLETE' } }), 400, 'Bad Request', 'Cannot reset deployment: illegal status CREATE_COMPLETE.');
  });

  it('22: DELETE with a JSON array body is 204; again it is 409 already DELETE_IN_PROGRESS', async () => {
    const { uuid } = await legacyCreate(rig, rig.alice);
    const del = () => legacy(rig, 'DELETE', `/deployments/${uuid}?force=false`, { token: rig.alice, scheme: 'bearer', json: ['force=false'] });
    const first = await del();
    expect(first.status, first.text).toBe(204);
    expect(first.text).toBe('');
    expectLegacyError(await del(), 409, 'Conflict', 'Deployment already in DELETE_IN_PROGRESS state.');
  });

  it('23: DELETE /deployments is a JSON 405; an unknown route a JSON 404', async () => {
    expectLegacyError(await legacy(rig, 'DELETE', '/deployments', { token: rig.alice }), 405, 'Method Not Allowed');
    expectLegacyError(await legacy(rig, 'GET', '/deployments/x/y/z', { token: rig.alice }), 404, 'Not Found');
  });
});
