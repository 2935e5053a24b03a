import { buildImAuthHeader } from '../../src/im/auth-header.js';
import { createImSimulatorApp } from '../../src/im/simulator/app.js';
import type { ImSimulatorOptions } from '../../src/im/simulator/env.js';
import { createSimStore } from '../../src/im/simulator/store.js';
import { sharedToscaEngine } from '../helpers/tosca.js';
import { makeToken, manualClock, OST, START_MS } from './fixtures.js';

/** The simulator app driven in-process through `app.request`, on a hand-moved clock. */
export async function simApp(opts: Partial<ImSimulatorOptions> = {}) {
  const clock = manualClock();
  const store = createSimStore();
  let n = 0;
  const app = createImSimulatorApp({
    tosca: await sharedToscaEngine(),
    mode: 'test',
    now: clock.now,
    newId: () => `00000000-0000-1000-8000-${String(++n).padStart(12, '0')}`,
    store,
    ...opts,
  });
  const auth = buildImAuthHeader({ username: 'orch', password: 'pw' }, OST, makeToken({ exp: Math.floor(START_MS / 1000) + 30 * 86_400 }));
  const call = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) => {
    const res = await app.request(path, {
      method,
      body: init.body,
      headers: { Authorization: auth, Accept: 'application/json', ...(init.body ? { 'Content-Type': 'text/yaml' } : {}), ...init.headers },
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  };
  const create = async (tosca: string, query = 'async=1', headers: Record<string, string> = {}) => {
    const res = await call('POST', `/infrastructures?${query}`, { body: tosca, headers });
    if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
    return res.headers.get('InfID') as string;
  };
  const state = async (id: string) => (await call('GET', `/infrastructures/${id}/state`)).json?.state as {
    state: string;
    vm_states: Record<string, string>;
  };
  return { app, clock, store, call, create, state, auth };
}
