import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { ToscaEngine } from '../tosca/index.js';
import { createImSimulatorApp } from '../im/simulator/app.js';
import type { SimMode } from '../im/simulator/env.js';
import type { SimSpeed, SimTimings } from '../im/simulator/timings.js';
import { loadToscaEngine } from './tosca-engine.js';

export interface StartImSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  mode?: SimMode;
  speed?: SimSpeed;
  timings?: Partial<SimTimings>;
  /** Defaults to the built-in types plus `typesDir`. */
  tosca?: ToscaEngine;
  typesDir?: string;
  acceptedIssuers?: readonly string[];
  now?: () => number;
  random?: () => number;
}

export interface RunningImSimulator {
  url: string;
  close(): Promise<void>;
}

/** Serves the IM simulator over HTTP; `close` stops listening and drops open connections. */
export async function startImSimulator(opts: StartImSimulatorOptions = {}): Promise<RunningImSimulator> {
  const tosca = opts.tosca ?? (await loadToscaEngine({ typesDir: opts.typesDir }));
  const app = createImSimulatorApp({
    tosca,
    mode: opts.mode ?? 'production',
    speed: opts.speed,
    timings: opts.timings,
    acceptedIssuers: opts.acceptedIssuers,
    now: opts.now,
    random: opts.random,
    onReset: (c) => (c.env as HttpBindings).incoming.socket.destroy(),
  });
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: host }, (info: AddressInfo) => {
        const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
        let closing: Promise<void> | undefined;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          close: () =>
            (closing ??= new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            })),
        });
      });
      server.once('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
