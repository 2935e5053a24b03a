import type { Logger } from '../app-deps.js';
import type { Config } from '../config.js';

export type ShutdownStep = [name: string, run: () => Promise<void>];

/** Room for the drain delay, the HTTP grace and the workers' grace one after the other, plus the closing steps. */
export function shutdownDeadlineMs(config: Config): number {
  return config.shutdown.drainDelayMs + 2 * config.shutdown.graceMs + 15_000;
}

/**
 * Runs the steps in order on the first SIGTERM/SIGINT, each in its own try/catch; a second
 * signal or the deadline exits at once. Returns a function that triggers the same shutdown.
 */
export function installGracefulShutdown(logger: Logger, steps: () => ShutdownStep[], deadlineMs = 30_000): () => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = () => {
    if (running) return running;
    running = (async () => {
      const timer = setTimeout(() => {
        logger.error({ deadlineMs }, 'graceful shutdown took too long; exiting');
        process.exit(1);
      }, deadlineMs);
      timer.unref();
      for (const [name, run] of steps()) {
        try {
          await run();
        } catch (err) {
          logger.error({ err, step: name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      logger.info({}, 'shutdown complete');
    })();
    return running;
  };
  const onSignal = (signal: string) => {
    if (running) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
  return shutdown;
}
