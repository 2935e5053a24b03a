import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createImSimulatorApp, createSimStore, type SimStore, type SimTimings } from '../../src/im/simulator/index.js';
import { sharedToscaEngine } from '../helpers/tosca.js';

export interface ChaosSimulator {
  url: string;
  store: SimStore;
  close(): Promise<void>;
}

/** The IM simulator in the run's process, over HTTP; its store is kept to read each infrastructure's tags. */
export async function startChaosSimulator(timings: Partial<SimTimings>): Promise<ChaosSimulator> {
  const store = createSimStore(1_000);
  const app = createImSimulatorApp({
    tosca: await sharedToscaEngine(),
    mode: 'test',
    timings,
    store,
    // A dropped connection, as a crashing proxy or IM would leave it.
    onReset: (c) => (c.env as HttpBindings).incoming.socket.destroy(),
  });
  const { url, server } = await new Promise<{ url: string; server: ServerType }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ url: `http://127.0.0.1:${info.port}`, server }));
  });
  return {
    url,
    store,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // Hanging fault answers would otherwise keep the server open.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/**
 * Random IM faults on about `rate` of all IM calls (the rules are tried in order, each on its own
 * share): 5xx answers, proxy timeouts, latency below the client timeout, hangs the client gives up
 * on, and dropped connections.
 */
export function faultRules(rate: number, maxDelayMs: number): Array<Record<string, unknown>> {
  return [
    { path: '.', status: 503, body: 'Service temporarily unavailable', probability: rate * 0.35 },
    { path: '.', status: 500, body: 'Internal server error', probability: rate * 0.1 },
    { path: '.', status: 504, body: 'Operation timed out', probability: rate * 0.15 },
    { path: '.', delayMs: [Math.round(maxDelayMs / 4), maxDelayMs], probability: rate * 0.2 },
    { path: '.', action: 'hang', probability: rate * 0.05 },
    { path: '.', action: 'reset', probability: rate * 0.15 },
  ];
}

export async function addFaults(sim: ChaosSimulator, rules: Array<Record<string, unknown>>): Promise<void> {
  for (const rule of rules) {
    const res = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    if (res.status !== 201) throw new Error(`fault rule refused (${res.status}): ${await res.text()}`);
  }
}

export async function faultHits(sim: ChaosSimulator): Promise<number> {
  const res = (await (await fetch(`${sim.url}/__sim/faults`)).json()) as { faults: Array<{ hits: number }> };
  return res.faults.reduce((n, f) => n + f.hits, 0);
}
