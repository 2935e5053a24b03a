import { ConfigError, loadConfig, type Config, type RunMode } from '../config.js';

/** Loads the config or exits with one clear line per bad variable. */
export function bootConfig(mode: RunMode): Config {
  try {
    return loadConfig(process.env, mode);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const issue of err.issues) console.error(`config error: ${issue}`);
      process.exit(2);
    }
    throw err;
  }
}

export function fatal(message: string, err?: unknown): never {
  console.error(`fatal: ${message}${err ? `: ${(err as Error).message ?? String(err)}` : ''}`);
  process.exit(1);
}
