import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.js';
import { currentJobLogContext } from './job-log-context.js';

export const REDACTED = '*****';

/** Field names whose values are secrets wherever they appear, at the top or one level down. */
const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'password',
  'passwd',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'clientSecret',
  'client_secret',
  'secret',
  'secretKey',
  'apiKey',
  'api_key',
];

/** Whole requests or responses passed to the logger: their credential headers. */
const HEADER_PATHS = ['authorization', 'cookie', '["set-cookie"]', '["x-api-key"]'].flatMap((h) =>
  ['headers', 'req.headers', 'request.headers', 'res.headers'].map((at) => (h.startsWith('[') ? `${at}${h}` : `${at}.${h}`)),
);

export const BUILT_IN_REDACT_PATHS = [...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]), ...HEADER_PATHS];

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  format?: LogFormat;
  /** Masked on top of the built-in paths (LOG_REDACT_PATHS). */
  redactPaths?: readonly string[];
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

/** LOG_FORMAT when set; otherwise pretty only for the all-in-one process on a terminal, JSON lines for machines. */
export function resolveLogFormat(config: Pick<Config, 'logFormat' | 'mode'>, stdoutIsTty = Boolean(process.stdout.isTTY)): LogFormat {
  return config.logFormat ?? (config.mode === 'all-in-one' && stdoutIsTty ? 'pretty' : 'json');
}

export function loggerOptionsFrom(config: Config): LoggerOptions {
  return { format: resolveLogFormat(config), redactPaths: config.logRedactPaths };
}

/**
 * Structured logs; secrets are redacted by path in case a caller passes a whole request or config, and every
 * line written while a worker job runs carries the job (queue, job, jobId, deploymentId).
 */
export function createLogger(level: string, name = 'orchestrator', o: LoggerOptions = {}): PinoLogger {
  const options = {
    name,
    level,
    redact: { paths: [...BUILT_IN_REDACT_PATHS, ...(o.redactPaths ?? [])], censor: REDACTED },
    mixin: currentJobLogContext,
  };
  if (o.format === 'pretty') {
    // A stream in this thread, not a transport worker: lines are not lost when the process exits abruptly.
    const pretty = pinoPretty({ sync: true, colorize: !o.destination && Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: o.destination });
    return pino(options, pretty);
  }
  return o.destination ? pino(options, o.destination) : pino(options);
}
