import { pino, type Logger as PinoLogger } from 'pino';

/** JSON logs; secrets are redacted by path in case a caller passes a whole request or config. */
export function createLogger(level: string, name = 'orchestrator'): PinoLogger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'authorization',
        '*.authorization',
        'headers.authorization',
        'req.headers.authorization',
        'accessToken',
        '*.accessToken',
        'refresh_token',
        '*.refresh_token',
        'password',
        '*.password',
        'secretKey',
        '*.secretKey',
        'clientSecret',
        '*.clientSecret',
      ],
      censor: '*****',
    },
  });
}
