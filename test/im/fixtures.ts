import { createImClient } from '../../src/im/client.js';
import type { CloudLine, ImCallContext, ImClient, ImClientOptions } from '../../src/im/types.js';
import type { SimTimings } from '../../src/im/simulator/timings.js';
import { startImSimulator, type RunningImSimulator } from '../../src/node/im-sim-server.js';
import { sharedToscaEngine } from '../helpers/tosca.js';

export const START_MS = Date.UTC(2025, 0, 15, 9, 0, 0);

/** A hand-moved clock for the simulator: no sleeps where a clock works. */
export function manualClock(start = START_MS) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** An unsigned JWT-shaped token; the simulator, like the IM, reads its claims. */
export function makeToken(claims: { sub?: string; iss?: string; exp?: number; preferred_username?: string } = {}): string {
  const body = { iss: 'https://iam.test.invalid/', sub: 'alice-sub', exp: Math.floor(START_MS / 1000) + 3600, ...claims };
  return `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(JSON.stringify(body))}.c2ln`;
}

export const OST: CloudLine = {
  id: 'ost',
  type: 'OpenStack',
  host: 'https://keystone.cloud.test.invalid:443',
  username: 'infn-cloud',
  tenant: 'oidc',
  domain: 'my-project',
};

export function ctx(accessToken = makeToken(), extra: Partial<ImCallContext> = {}): ImCallContext {
  return { cloud: OST, accessToken, ...extra };
}

export interface SimHarness {
  sim: RunningImSimulator;
  clock: ReturnType<typeof manualClock>;
  client: ImClient;
  clientWith(o: Partial<ImClientOptions>): ImClient;
  control(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  liveInfraIds(): Promise<string[]>;
}

export interface HarnessOptions {
  timings?: Partial<SimTimings>;
  random?: () => number;
  client?: Partial<ImClientOptions>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<SimHarness> {
  const clock = manualClock();
  const sim = await startImSimulator({
    port: 0,
    mode: 'test',
    timings: opts.timings,
    random: opts.random,
    now: clock.now,
    tosca: await sharedToscaEngine(),
  });
  const clientOpts = opts.client ?? {};
  const clientWith = (o: Partial<ImClientOptions>) =>
    createImClient({
      baseUrl: sim.url,
      credentials: { username: 'orchestrator', password: 'orch-secret' },
      timeoutMs: 5_000,
      retries: 2,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      ...clientOpts,
      ...o,
    });
  const control = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${sim.url}/__sim${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return {
    sim,
    clock,
    client: clientWith({}),
    clientWith,
    control,
    async liveInfraIds() {
      const res = await control('/infrastructures');
      const body = (await res.json()) as { infrastructures: Array<{ id: string }> };
      return body.infrastructures.map((i) => i.id);
    },
  };
}
