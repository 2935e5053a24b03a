import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImAuthHeader } from '../../src/im/auth-header.js';
import { parseImAuthHeader } from '../../src/im/auth-parse.js';
import { errorFromResponse } from '../../src/im/classify-response.js';
import { createImClient } from '../../src/im/client.js';
import { ImError } from '../../src/im/errors.js';
import { infIdFromUri, vmIdFromUri } from '../../src/im/parse-answers.js';
import { redactOutputs } from '../../src/im/redact-outputs.js';
import { redactRadl, redactRadlJson } from '../../src/im/redact-radl.js';
import { MASK, redactText } from '../../src/im/redact-text.js';
import { redactTosca } from '../../src/im/redact-tosca.js';
import type { ImCallContext } from '../../src/im/types.js';
import { ctx, OST, startHarness, type SimHarness } from './fixtures.js';
import { singleNodeTemplate } from './templates.js';

async function failure(p: Promise<unknown>): Promise<ImError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImError);
  return e as ImError;
}

describe('redaction of long hyphenated or dotted runs', () => {
  it('returns such text unchanged and still masks a secret after it', () => {
    for (const run of ['a-'.repeat(50_000), 'a.'.repeat(50_000), 'a+'.repeat(50_000)]) {
      expect(redactText(`${run} password=hunter2`)).toBe(`${run} password=${MASK}`);
      expect(redactRadl(`${run} password = 'hunter2'`)).toBe(`${run} password = '${MASK}'`);
    }
  });

  it('clips a huge error body to a short message, masking what it shows', () => {
    const body = `token=abc123 ${'x-'.repeat(500_000)}`;
    const e = errorFromResponse('getState', 500, body, 'text/plain');
    expect(e.imMessage?.startsWith(`token=${MASK} x-x-`)).toBe(true);
    expect(e.imMessage?.length).toBeLessThanOrEqual(501);
  });
});

describe('Authorization values ending in a backslash', () => {
  it('quotes them so the line still parses to the same value', () => {
    const header = buildImAuthHeader({ username: 'orch', password: 'pw\\' }, { ...OST, tenant: 'ten\\' }, 'tok');
    const [im, cloud] = parseImAuthHeader(header);
    expect(im.password).toBe('pw\\');
    expect(cloud.tenant).toBe('ten\\');
    expect(cloud.domain).toBe(OST.domain);
  });
});

describe('secret masking shared with the TOSCA secret rules', () => {
  it('masks *_pass, *_pwd, credentials, sensitive inputs, aliased values and map defaults in TOSCA', () => {
    const tosca = `topology_template:
  inputs:
    db_pass:
      type: string
      default: clear-db-pass
    admin_pwd:
      type: string
      default: clear-admin-pwd
    opaque:
      type: string
      default: clear-opaque
      metadata:
        sensitive: true
    credentials:
      type: map
      default:
        user: clear-user
        key: clear-cred
    shared:
      type: string
      default: &pw clear-aliased
  node_templates:
    db:
      type: tosca.nodes.Database
      properties:
        root_password: *pw
        name: visible-name
`;
    const out = redactTosca(tosca);
    expect(out).not.toMatch(/clear-(db-pass|admin-pwd|opaque|user|cred|aliased)/);
    expect(out).toContain('visible-name');
  });

  it('masks every value below a secret key in outputs and RADL-JSON, numbers included', () => {
    expect(redactOutputs({ admin_pwd: 'x', credentials: { user: 'u', pass: 'p' }, pin_password: 1234, port: 80 })).toEqual({
      admin_pwd: MASK,
      credentials: { user: MASK, pass: MASK },
      pin_password: MASK,
      port: 80,
    });
    expect(redactRadlJson({ 'disk.0.os.credentials.password': 1234, cpu: 2 })).toEqual({ 'disk.0.os.credentials.password': MASK, cpu: 2 });
  });
});

describe('IM ids that are not valid URI escapes', () => {
  it('throws an invalid-answer error instead of a URIError', () => {
    expect(() => infIdFromUri('http://im/infrastructures/%E0%A4%A', 'listInfrastructures')).toThrow(
      expect.objectContaining({ kind: 'invalid', operation: 'listInfrastructures' }),
    );
    expect(() => vmIdFromUri('http://im/infrastructures/x/vms/%ZZ')).toThrow(ImError);
  });
});

describe('removeVms retried after its answer was lost', () => {
  it('takes "Deleted VM." on the retry as done', async () => {
    let calls = 0;
    const client = createImClient({
      baseUrl: 'http://127.0.0.1:9',
      credentials: { username: 'u', password: 'p' },
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 1,
      fetch: async () => {
        calls++;
        if (calls === 1) return new Response('Bad gateway', { status: 502 });
        return Response.json({ message: 'Error Removing VM: Deleted VM.', code: 404 }, { status: 404 });
      },
    });
    await expect(client.removeVms(ctx(), 'inf', ['1'])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe('against the simulator', () => {
  let h: SimHarness;
  const c: ImCallContext = ctx();

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.sim.close();
  });

  it('marks an update that met a 502 as outcome-unknown, not retryable', async () => {
    const { infId } = await h.client.createInfrastructure(c, singleNodeTemplate(), { async: false });
    await h.control('/faults', { body: { method: 'POST', path: `^/infrastructures/${infId}$`, status: 502, times: 3 } });
    const e = await failure(h.client.updateInfrastructure(c, infId, singleNodeTemplate({ count: 2 })));
    expect(e).toMatchObject({ kind: 'unavailable', status: 502, retryable: false, outcomeUnknown: true });
    await h.control('/faults', { method: 'DELETE' });
    const bad = await failure(h.client.createInfrastructure(c, 'not: [tosca'));
    expect(bad).toMatchObject({ kind: 'invalid', outcomeUnknown: false });
    await h.client.destroyInfrastructure(c, infId, { force: true, async: false });
  });

  it('forgets deleted infrastructures when later ones are created', async () => {
    const health = async () => ((await (await h.control('/health')).json()) as { infrastructures: number }).infrastructures;
    const { infId } = await h.client.createInfrastructure(c, singleNodeTemplate(), { async: false });
    await h.client.destroyInfrastructure(c, infId, { force: true, async: false });
    expect(await health()).toBeGreaterThanOrEqual(1);
    h.clock.advance(700_000);
    const { infId: next } = await h.client.createInfrastructure(c, singleNodeTemplate(), { async: false });
    expect(await health()).toBe(1);
    await h.client.destroyInfrastructure(c, next, { force: true, async: false });
  });

  it('refuses a create asking for more than 1,000 VMs', async () => {
    const e = await failure(h.client.createInfrastructure(c, singleNodeTemplate({ count: 1_001 })));
    expect(e).toMatchObject({ kind: 'invalid', status: 400 });
    expect(e.imMessage).toMatch(/at most 1000/);
  });

  it('refuses a list filter longer than 256 characters', async () => {
    const e = await failure(h.client.listInfrastructures(c, { filter: `${'(a|a)*'.repeat(50)}!` }));
    expect(e).toMatchObject({ kind: 'invalid', status: 400 });
    expect(e.imMessage).toMatch(/longer than 256/);
  });
});
