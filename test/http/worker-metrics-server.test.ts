import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/node/free-port.js';
import { serveWorkerMetrics } from '../../src/node/metrics-server.js';
import { createProcessMetrics } from '../../src/node/process-metrics.js';
import { createMemoryLogger } from '../helpers/memory-logger.js';
import { sampleValue } from '../helpers/prometheus-text.js';

describe('the worker metrics endpoint', () => {
  it('serves the process registry on its port', async () => {
    const metrics = createProcessMetrics();
    metrics.jobs().jobEnded('maintenance', 'reconcile', 'completed', 0.01);
    const server = await serveWorkerMetrics(metrics, await freePort(), '127.0.0.1', createMemoryLogger());
    try {
      const res = await fetch(`${server!.url}/metrics`);
      expect(res.status).toBe(200);
      expect(sampleValue(await res.text(), 'orchestrator_jobs_processed_total', { queue: 'maintenance', name: 'reconcile' })).toBe(1);
    } finally {
      await server?.close();
    }
  });

  it('is off with port 0', async () => {
    expect(await serveWorkerMetrics(createProcessMetrics(), 0, '127.0.0.1', createMemoryLogger())).toBeUndefined();
  });

  it('leaves the worker running with a warning when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const logger = createMemoryLogger();
    try {
      expect(await serveWorkerMetrics(createProcessMetrics(), port, '127.0.0.1', logger)).toBeUndefined();
      expect(logger.entries).toEqual([
        expect.objectContaining({ level: 'warn', msg: 'worker metrics are not served: cannot listen on WORKER_METRICS_PORT', obj: expect.objectContaining({ port }) }),
      ]);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
