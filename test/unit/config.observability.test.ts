import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, 'tool');
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('metrics and log settings', () => {
  it('defaults to worker metrics on 9464, no extra redaction and an automatic log format', () => {
    const c = loadConfig({}, 'tool');
    expect(c.workerMetricsPort).toBe(9464);
    expect(c.logRedactPaths).toEqual([]);
    expect(c.logFormat).toBeUndefined();
  });

  it('takes 0 to turn the worker metrics off and rejects what is not a port', () => {
    expect(loadConfig({ WORKER_METRICS_PORT: '0' }, 'tool').workerMetricsPort).toBe(0);
    expect(loadConfig({ WORKER_METRICS_PORT: '9100' }, 'tool').workerMetricsPort).toBe(9100);
    for (const bad of ['70000', '-1', 'nine', '9464.5']) {
      expect(issuesOf({ WORKER_METRICS_PORT: bad })).toEqual([
        `WORKER_METRICS_PORT must be a port between 1 and 65535, or 0 to turn the worker metrics off (got "${bad}")`,
      ]);
    }
  });

  it('accepts only pretty or json as LOG_FORMAT', () => {
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, 'tool').logFormat).toBe('pretty');
    expect(issuesOf({ LOG_FORMAT: 'yaml' })).toEqual(['LOG_FORMAT must be pretty or json (got "yaml")']);
  });

  it('reads LOG_REDACT_PATHS as a comma list of field paths and names a malformed one', () => {
    expect(loadConfig({ LOG_REDACT_PATHS: ' body.apiKey ,*.pin, headers["x-api-key"], list[*].secret ' }, 'tool').logRedactPaths).toEqual([
      'body.apiKey',
      '*.pin',
      'headers["x-api-key"]',
      'list[*].secret',
    ]);
    for (const bad of ['body..apiKey', 'x-api-key', 'a.b(c)', 'a;process.exit()']) {
      expect(issuesOf({ LOG_REDACT_PATHS: bad })[0]).toMatch(/^LOG_REDACT_PATHS must be a comma list of log field paths/);
    }
  });
});
