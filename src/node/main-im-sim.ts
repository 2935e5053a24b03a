import { parseImSimConfig } from '../im/simulator/sim-config.js';
import { startImSimulator } from './im-sim-server.js';

const parsed = parseImSimConfig(process.env);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(`config error: ${e}`);
  process.exit(2);
}
const settings = parsed.config;

try {
  const sim = await startImSimulator(settings);
  const control = settings.mode === 'production' ? '' : `, control API at ${sim.url}/__sim`;
  console.log(`IM simulator listening on ${sim.url} (mode ${settings.mode}, speed ${settings.speed}${control})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`im-sim: ${signal} received, shutting down`);
    setTimeout(() => process.exit(1), 10_000).unref();
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  console.error(`fatal: IM simulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
