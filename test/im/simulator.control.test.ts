import { describe, expect, it } from 'vitest';
import { simApp } from './sim-app.js';
import { singleNodeTemplate } from './templates.js';

describe('control API', () => {
  it('does not exist in production mode', async () => {
    const sim = await simApp({ mode: 'production' });
    const res = await sim.app.request('/__sim/infrastructures');
    expect(res.status).toBe(404);
  });

  it('lists live infrastructures with their state so tests can assert none leaked', async () => {
    const sim = await simApp();
    const a = await sim.create(singleNodeTemplate(), 'async=0');
    const b = await sim.create(singleNodeTemplate({ scenario: 'unconfigured' }));
    const list = (await (await sim.app.request('/__sim/infrastructures')).json()) as {
      count: number;
      infrastructures: Array<{ id: string; state: string; scenario: { name: string }; owner: string }>;
    };
    expect(list.count).toBe(2);
    expect(list.infrastructures.map((i) => i.id).sort()).toEqual([a, b].sort());
    expect(list.infrastructures.find((i) => i.id === b)?.scenario.name).toBe('unconfigured');
    expect(list.infrastructures[0].owner).toBe('orch');
    await sim.call('DELETE', `/infrastructures/${a}?async=0`);
    const after = (await (await sim.app.request('/__sim/infrastructures')).json()) as { count: number };
    expect(after.count).toBe(1);
  });

  it('moves the simulator clock, or one infrastructure ahead of the others', async () => {
    const sim = await simApp({ timings: { preparingMs: 1_000, pendingMs: 1_000, configureMs: 1_000 } });
    const a = await sim.create(singleNodeTemplate());
    const b = await sim.create(singleNodeTemplate());
    await sim.app.request(`/__sim/infrastructures/${a}/advance`, { method: 'POST', body: JSON.stringify({ ms: 10_000 }) });
    expect((await sim.state(a)).state).toBe('configured');
    expect((await sim.state(b)).state).toBe('pending');
    const clock = await sim.app.request('/__sim/clock', { method: 'POST', body: JSON.stringify({ advanceMs: 10_000 }) });
    expect(((await clock.json()) as { offsetMs: number }).offsetMs).toBe(10_000);
    expect((await sim.state(b)).state).toBe('configured');
  });

  it('forces VM states', async () => {
    const sim = await simApp();
    const id = await sim.create(singleNodeTemplate({ count: 2 }), 'async=0');
    const res = await sim.app.request(`/__sim/infrastructures/${id}/state`, {
      method: 'POST',
      body: JSON.stringify({ state: 'failed', vmIds: ['1'] }),
    });
    expect(res.status).toBe(200);
    expect(await sim.state(id)).toEqual({ state: 'failed', vm_states: { '0': 'pending', '1': 'failed' } });
    sim.clock.advance(10_000);
    expect(await sim.state(id)).toEqual({ state: 'failed', vm_states: { '0': 'configured', '1': 'failed' } });
  });

  it('registers, counts and removes fault rules; refuses a malformed one', async () => {
    const sim = await simApp();
    const bad = await sim.app.request('/__sim/faults', { method: 'POST', body: JSON.stringify({ path: '(' }) });
    expect(bad.status).toBe(400);
    const made = await sim.app.request('/__sim/faults', { method: 'POST', body: JSON.stringify({ path: '^/version$', status: 500, times: 1 }) });
    const rule = (await made.json()) as { id: string };
    expect((await sim.app.request('/version')).status).toBe(500);
    expect((await sim.app.request('/version')).status).toBe(200);
    const listed = (await (await sim.app.request('/__sim/faults')).json()) as { faults: Array<{ id: string; hits: number; times: number }> };
    expect(listed.faults).toEqual([expect.objectContaining({ id: rule.id, hits: 1, times: 0 })]);
    expect((await sim.app.request(`/__sim/faults/${rule.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('records requests with the Authorization header masked', async () => {
    const sim = await simApp();
    await sim.create(singleNodeTemplate());
    const body = (await (await sim.app.request('/__sim/requests')).json()) as {
      requests: Array<{ method: string; path: string; query: string; status: number; headers: Record<string, string> }>;
    };
    expect(body.requests).toHaveLength(1);
    const req = body.requests[0];
    expect(req).toMatchObject({ method: 'POST', path: '/infrastructures', query: '?async=1', status: 200 });
    expect(req.headers.authorization).toContain('type = InfrastructureManager');
    expect(req.headers.authorization).toContain('type = OpenStack');
    expect(req.headers.authorization).not.toContain('pw');
    expect(JSON.stringify(body)).not.toContain('eyJ');
  });
});

describe('wire conventions', () => {
  it('negotiates Accept: JSON wrapper, the default representation, or 415', async () => {
    const sim = await simApp();
    expect(await (await sim.app.request('/version', { headers: { Accept: 'application/json' } })).json()).toEqual({ version: '1.19.2' });
    const plain = await sim.app.request('/version', { headers: { Accept: 'text/*' } });
    expect(await plain.text()).toBe('1.19.2');
    const refused = await sim.app.request('/version', { headers: { Accept: 'image/png' } });
    expect(refused.status).toBe(415);
    expect(await refused.text()).toBe('Unsupported Accept Media Types: image/png');
  });

  it('answers a create with the bare URI (text/uri-list) when JSON was not asked for, plus the InfID header', async () => {
    const sim = await simApp();
    const res = await sim.call('POST', '/infrastructures', { body: singleNodeTemplate(), headers: { Accept: 'text/uri-list' } });
    expect(res.headers.get('content-type')).toContain('text/uri-list');
    expect(res.text).toBe(`http://localhost/infrastructures/${res.headers.get('InfID')}`);
  });

  it('builds absolute URIs from X-Forwarded-* headers', async () => {
    const sim = await simApp();
    const res = await sim.call('POST', '/infrastructures', {
      body: singleNodeTemplate(),
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'im.example.org' },
    });
    expect(res.json.uri).toBe(`https://im.example.org/infrastructures/${res.headers.get('InfID')}`);
  });

  it('serves state only as JSON', async () => {
    const sim = await simApp();
    const id = await sim.create(singleNodeTemplate());
    expect((await sim.call('GET', `/infrastructures/${id}/state`, { headers: { Accept: 'text/plain' } })).status).toBe(415);
    expect((await sim.call('GET', `/infrastructures/${id}/state`, { headers: { Accept: '*/*' } })).status).toBe(200);
  });

  it('shapes errors by Accept: JSON, HTML page, or the bare message', async () => {
    const sim = await simApp();
    const path = '/infrastructures/nope/state';
    const json = await sim.call('GET', path);
    expect(json.json).toEqual({ message: 'Error Getting Inf. state: Invalid infrastructure ID or access not granted.', code: 404 });
    const html = await sim.call('GET', path, { headers: { Accept: 'text/html' } });
    expect(html.headers.get('content-type')).toContain('text/html');
    const text = await sim.call('GET', path, { headers: { Accept: 'text/plain' } });
    expect(text.text).toBe('Error Getting Inf. state: Invalid infrastructure ID or access not granted.');
  });

  it('refuses malformed boolean flags and unsupported body types', async () => {
    const sim = await simApp();
    const flag = await sim.call('POST', '/infrastructures?async=maybe', { body: singleNodeTemplate() });
    expect(flag.status).toBe(400);
    expect(flag.json.message).toBe('Error Creating Inf.: Incorrect value in async parameter');
    const xml = await sim.call('POST', '/infrastructures', { body: '<x/>', headers: { 'Content-Type': 'application/xml' } });
    expect(xml.status).toBe(415);
    const radl = await sim.call('POST', '/infrastructures', { body: 'system front ()', headers: { 'Content-Type': 'text/plain' } });
    expect(radl.status).toBe(400);
  });

  it('serves VM info as RADL text by default', async () => {
    const sim = await simApp();
    const id = await sim.create(singleNodeTemplate(), 'async=0');
    const res = await sim.call('GET', `/infrastructures/${id}/vms/0`, { headers: { Accept: 'text/plain' } });
    expect(res.text).toMatch(/^network pub_network \(\noutbound = 'yes'/);
    expect(res.text).toContain("system server (\nstate = 'pending'");
    const prop = await sim.call('GET', `/infrastructures/${id}/vms/0/state`);
    expect(prop.json).toEqual({ state: 'pending' });
    const missing = await sim.call('GET', `/infrastructures/${id}/vms/0/nothing`);
    expect(missing.json.message).toBe('Error Getting VM property: Incorrect property nothing for VM ID 0');
  });
});

describe('other IM routes', () => {
  it('serves infrastructure properties and refuses unknown ones', async () => {
    const sim = await simApp();
    const tosca = singleNodeTemplate();
    const id = await sim.create(tosca, 'async=0');
    expect((await sim.call('GET', `/infrastructures/${id}/tosca`)).json).toEqual({ tosca });
    expect((await sim.call('GET', `/infrastructures/${id}/radl`)).json.radl).toContain('system server (');
    const bad = await sim.call('GET', `/infrastructures/${id}/colour`);
    expect(bad.status).toBe(404);
    expect(bad.json.message).toBe('Error Getting Inf. prop: Incorrect infrastructure property');
  });

  it('stops and starts every VM of an infrastructure, and reconfigures it', async () => {
    const sim = await simApp();
    const id = await sim.create(singleNodeTemplate({ count: 2 }), 'async=0');
    sim.clock.advance(1_000);
    expect((await sim.call('PUT', `/infrastructures/${id}/stop`)).status).toBe(200);
    sim.clock.advance(1_000);
    expect(await sim.state(id)).toEqual({ state: 'stopped', vm_states: { '0': 'stopped', '1': 'stopped' } });
    await sim.call('PUT', `/infrastructures/${id}/start`);
    sim.clock.advance(1_000);
    expect((await sim.state(id)).state).toBe('configured');
    const re = await sim.call('PUT', `/infrastructures/${id}/reconfigure`);
    expect(re.headers.get('InfID')).toBe(id);
    expect((await sim.state(id)).state).toBe('running');
    sim.clock.advance(1_000);
    expect((await sim.state(id)).state).toBe('configured');
  });

  it("answers cloud images and quotas for a provider line of the caller's header", async () => {
    const sim = await simApp();
    const images = await sim.call('GET', '/clouds/ost/images');
    expect(images.json.images[0].uri).toMatch(/^ost:\/\/keystone\.cloud\.test\.invalid\//);
    expect((await sim.call('GET', '/clouds/ost/quotas')).json.quotas.cores).toEqual({ used: 0, limit: 1000 });
    expect((await sim.call('GET', '/clouds/nope/quotas')).status).toBe(400);
  });
});
