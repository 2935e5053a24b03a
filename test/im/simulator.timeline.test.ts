import { describe, expect, it } from 'vitest';
import { aggregateInfraState } from '../../src/im/simulator/aggregate-state.js';
import type { ImStateName } from '../../src/im/types.js';
import { simApp } from './sim-app.js';
import { clusterTemplate, singleNodeTemplate } from './templates.js';

describe('aggregateInfraState (the IM scan, verbatim)', () => {
  const agg = (vmStates: ImStateName[], ctxtFlag?: boolean, deleting = false) =>
    aggregateInfraState({ vmStates, ctxtFlag, deleting });

  it.each([
    [['configured', 'running'], 'running'],
    [['configured', 'configured'], 'configured'],
    [['running', 'pending'], 'pending'],
    [['pending', 'running'], 'pending'],
    [['configured', 'failed', 'unknown'], 'failed'],
    [['configured', 'unknown', 'failed'], 'unknown'],
    [['configured', 'unconfigured'], 'unconfigured'],
    [['unconfigured', 'configured'], 'unconfigured'],
    [['stopped', 'configured'], 'stopped'],
    [['configured', 'stopped'], 'configured'],
    [['stopped', 'unconfigured'], 'stopped'],
    [['deleting', 'configured'], 'configured'],
    [['running', 'unconfigured'], 'running'],
  ] as Array<[ImStateName[], ImStateName]>)('%j → %s', (vms, expected) => {
    expect(agg(vms)).toBe(expected);
  });

  it('reads pending with no VMs while creation is prepared, failed when the flag is false, unknown otherwise', () => {
    expect(agg([], undefined)).toBe('pending');
    expect(agg([], false)).toBe('failed');
    expect(agg([], true)).toBe('unknown');
    expect(agg(['deleting'], undefined)).toBe('unknown');
  });

  it('lets a delete in progress override everything', () => {
    expect(agg(['failed'], true, true)).toBe('deleting');
  });
});

describe('state progression on the simulator clock', () => {
  it('goes pending (no VMs) → VMs pending → running → configured, as time passes', async () => {
    const sim = await simApp({ timings: { preparingMs: 1_000, pendingMs: 10_000, configureMs: 60_000 } });
    const id = await sim.create(singleNodeTemplate({ count: 2 }));
    expect(await sim.state(id)).toEqual({ state: 'pending', vm_states: {} });
    sim.clock.advance(1_000);
    expect(await sim.state(id)).toEqual({ state: 'pending', vm_states: { '0': 'pending', '1': 'pending' } });
    sim.clock.advance(16_000);
    expect(await sim.state(id)).toEqual({ state: 'running', vm_states: { '0': 'running', '1': 'running' } });
    sim.clock.advance(60_000);
    expect(await sim.state(id)).toEqual({ state: 'configured', vm_states: { '0': 'configured', '1': 'configured' } });
  });

  it('creates the VMs in the request for a synchronous create', async () => {
    const sim = await simApp();
    const id = await sim.create(singleNodeTemplate({ count: 3 }), 'async=0');
    expect(Object.keys((await sim.state(id)).vm_states)).toEqual(['0', '1', '2']);
  });

  it('gives one VM per compute node instance, with the TOSCA node name in the VM info', async () => {
    const sim = await simApp();
    const id = await sim.create(clusterTemplate(3), 'async=0');
    const list = await sim.call('GET', `/infrastructures/${id}`);
    expect(list.json['uri-list']).toHaveLength(4);
    const names = [];
    for (const vm of ['0', '1', '2', '3']) {
      const info = await sim.call('GET', `/infrastructures/${id}/vms/${vm}`);
      names.push(info.json.radl.find((a: { class: string }) => a.class === 'system').id);
    }
    expect(names).toEqual(['front', 'wn', 'wn', 'wn']);
  });

  it('serves VM data cached for refreshMs, like the IM 10-second refresh', async () => {
    const sim = await simApp({ timings: { preparingMs: 0, pendingMs: 1_000, refreshMs: 10_000 } });
    const id = await sim.create(singleNodeTemplate());
    expect((await sim.state(id)).vm_states['0']).toBe('pending');
    sim.clock.advance(5_000);
    expect((await sim.state(id)).vm_states['0']).toBe('pending');
    sim.clock.advance(5_000);
    expect((await sim.state(id)).vm_states['0']).not.toBe('pending');
  });

  it('fills outputs from live VM data: null addresses before running, complete once configured', async () => {
    const sim = await simApp({ timings: { preparingMs: 0, pendingMs: 1_000, configureMs: 1_000 } });
    const id = await sim.create(singleNodeTemplate({ count: 2 }));
    const before = (await sim.call('GET', `/infrastructures/${id}/outputs`)).json.outputs;
    expect(before.node_ip).toBeNull();
    expect(before.node_ips).toEqual([null, null]);
    sim.clock.advance(10_000);
    const after = (await sim.call('GET', `/infrastructures/${id}/outputs`)).json.outputs;
    expect(after.node_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(after.node_ips).toHaveLength(2);
    expect(after.web_url).toBe(`http://${after.node_ip}:8080`);
    expect(after.node_creds).toMatchObject({ user: 'cloudadm', token_type: 'private_key' });
    expect(after.node_creds.token).toContain('PRIVATE KEY');
  });

  it('grows the contextualization log as it goes and honours headeronly', async () => {
    const sim = await simApp({ timings: { preparingMs: 0, pendingMs: 1_000, configureMs: 8_000 } });
    const id = await sim.create(singleNodeTemplate());
    const lengths: number[] = [];
    for (let i = 0; i < 6; i++) {
      lengths.push((await sim.call('GET', `/infrastructures/${id}/contmsg`)).json.contmsg.length);
      sim.clock.advance(2_000);
    }
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
    expect(lengths[5]).toBeGreaterThan(lengths[0]);
    const full = (await sim.call('GET', `/infrastructures/${id}/contmsg`)).json.contmsg as string;
    expect(full).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}: /);
    expect(full).toContain('VM 0:\n');
    expect(full).toContain('*'.repeat(75));
    expect(full).toContain('Contextualization process successfully finished.');
    const header = (await sim.call('GET', `/infrastructures/${id}/contmsg?headeronly=yes`)).json.contmsg as string;
    expect(header).not.toContain('VM 0:');
    expect(full.startsWith(header)).toBe(true);
  });

  it('never reuses a VM id: removed VMs answer "Deleted VM." and new ones get fresh ids', async () => {
    const sim = await simApp();
    const id = await sim.create(clusterTemplate(2), 'async=0');
    expect((await sim.call('DELETE', `/infrastructures/${id}/vms/1,2`)).status).toBe(200);
    const gone = await sim.call('GET', `/infrastructures/${id}/vms/1`);
    expect(gone.status).toBe(404);
    expect(gone.json.message).toContain('Deleted VM.');
    const added = await sim.call('POST', `/infrastructures/${id}`, { body: clusterTemplate(2) });
    expect(added.json['uri-list'].map((u: { uri: string }) => u.uri.split('/').pop())).toEqual(['3', '4']);
    expect(Object.keys((await sim.state(id)).vm_states)).toEqual(['0', '3', '4']);
  });

  it('turns VMs unknown once the cloud refresh has failed for the grace period (no provider line)', async () => {
    const sim = await simApp({ timings: { preparingMs: 0, pendingMs: 10, configureMs: 10, unknownGraceMs: 120_000 } });
    const id = await sim.create(singleNodeTemplate(), 'async=0');
    sim.clock.advance(100);
    const imOnly = { Authorization: 'id = im ; type = InfrastructureManager ; username = orch ; password = pw' };
    const first = await sim.call('GET', `/infrastructures/${id}/state`, { headers: imOnly });
    expect(first.json.state.state).toBe('configured');
    sim.clock.advance(120_000);
    const later = await sim.call('GET', `/infrastructures/${id}/state`, { headers: imOnly });
    expect(later.json.state).toEqual({ state: 'unknown', vm_states: { '0': 'unknown' } });
    expect((await sim.state(id)).state).toBe('configured');
  });

  it('ends a never-finishing contextualization unconfigured at the max contextualization time', async () => {
    const sim = await simApp({ timings: { preparingMs: 0, pendingMs: 10, maxCtxtMs: 7_200_000 } });
    const id = await sim.create(singleNodeTemplate({ scenario: 'stuck-running' }));
    sim.clock.advance(7_000_000);
    expect((await sim.state(id)).state).toBe('running');
    sim.clock.advance(300_000);
    expect((await sim.state(id)).state).toBe('unconfigured');
    const log = (await sim.call('GET', `/infrastructures/${id}/contmsg`)).json.contmsg;
    expect(log).toContain('ERROR: Max contextualization time passed.');
  });

  it('keeps 1,000 infrastructures in one process, all progressing from the clock alone', async () => {
    const sim = await simApp({ timings: { preparingMs: 100, pendingMs: 100, configureMs: 100 } });
    const tosca = singleNodeTemplate({ count: 2 });
    const ids = await Promise.all(Array.from({ length: 1_000 }, () => sim.create(tosca)));
    expect(new Set(ids).size).toBe(1_000);
    expect((await sim.state(ids[999])).state).toBe('pending');
    sim.clock.advance(1_000);
    const states = await Promise.all(ids.map((id) => sim.state(id)));
    expect(states.every((s) => s.state === 'configured')).toBe(true);
    const live = await sim.app.request('/__sim/infrastructures');
    expect(((await live.json()) as { count: number }).count).toBe(1_000);
  });
});
