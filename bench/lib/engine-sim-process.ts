import { startImSimulator } from '../../src/node/im-sim-server.js';
import { announceReady } from './task-main.js';

// Dev mode for the control API (the clock releases held deployments); contextualization may last
// as long as a scenario holds it; deleted infrastructures are forgotten quickly to bound memory.
const sim = await startImSimulator({
  port: 0,
  host: '127.0.0.1',
  mode: 'dev',
  speed: 'fast',
  timings: { maxCtxtMs: 1e12, tombstoneMs: 60_000 },
  typesDir: process.env.TOSCA_TYPES_DIR || undefined,
});
announceReady({ url: sim.url, pid: process.pid });
const stop = () => void sim.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
