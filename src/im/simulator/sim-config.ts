import type { SimMode } from './env.js';
import type { SimSpeed } from './timings.js';

export interface ImSimConfig {
  port: number;
  host: string;
  mode: SimMode;
  speed: SimSpeed;
  typesDir?: string;
  acceptedIssuers?: string[];
}

const MODES: readonly SimMode[] = ['test', 'dev', 'production'];
const SPEEDS: readonly SimSpeed[] = ['fast', 'realistic'];

/** Reads the standalone simulator's settings (IM_SIM_PORT, IM_SIM_HOST, IM_SIM_MODE, IM_SIM_SPEED, …). */
export function parseImSimConfig(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: ImSimConfig } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const rawPort = env.IM_SIM_PORT ?? '8800';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) errors.push(`IM_SIM_PORT must be a port number (0-65535), got "${rawPort}"`);
  const mode = (env.IM_SIM_MODE ?? 'dev') as SimMode;
  if (!MODES.includes(mode)) errors.push(`IM_SIM_MODE must be one of ${MODES.join(', ')}, got "${mode}"`);
  const speed = (env.IM_SIM_SPEED ?? 'fast') as SimSpeed;
  if (!SPEEDS.includes(speed)) errors.push(`IM_SIM_SPEED must be one of ${SPEEDS.join(', ')}, got "${speed}"`);
  const issuers = (env.IM_SIM_OIDC_ISSUERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      port,
      host: env.IM_SIM_HOST || '127.0.0.1',
      mode,
      speed,
      typesDir: env.TOSCA_TYPES_DIR || undefined,
      acceptedIssuers: issuers.length > 0 ? issuers : undefined,
    },
  };
}
