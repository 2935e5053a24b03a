import { startImSimulator } from '../../src/node/im-sim-server.js';
import { announceReady } from './task-main.js';

const sim = await startImSimulator({
  port: 0,
  host: '127.0.0.1',
  mode: 'production',
  speed: 'fast',
  typesDir: process.env.TOSCA_TYPES_DIR || undefined,
});
announceReady({ url: sim.url, pid: process.pid });
const stop = () => void sim.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
