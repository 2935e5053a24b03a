import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { withJobLogContext } from '../../src/node/job-log-context.js';
import { createLogger, resolveLogFormat, type LoggerOptions } from '../../src/node/logger.js';

function capture(o: LoggerOptions = {}) {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return { logger: createLogger('info', 'test', { ...o, destination }), text: () => text };
}

describe('the process logger', () => {
  it('masks credential headers, passwords and tokens wherever a caller puts them', () => {
    const { logger, text } = capture();
    logger.info(
      {
        headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'session=abc123', 'set-cookie': 'sid=s3cr3t', accept: 'application/json' },
        password: 'hunter2-top',
        user: { name: 'alice', password: 'hunter2-nested', token: 'tok-123456' },
        refresh_token: 'rt-987654',
      },
      'incoming',
    );
    const line = JSON.parse(text());
    expect(line.headers).toEqual({ authorization: '*****', cookie: '*****', 'set-cookie': '*****', accept: 'application/json' });
    expect(line.password).toBe('*****');
    expect(line.user).toEqual({ name: 'alice', password: '*****', token: '*****' });
    expect(line.refresh_token).toBe('*****');
    expect(text()).not.toMatch(/eyJhbGciOi|abc123|s3cr3t|hunter2|tok-123456|rt-987654/);
  });

  it('masks the extra paths of LOG_REDACT_PATHS too', () => {
    const paths = loadConfig({ LOG_REDACT_PATHS: 'body.apiKey, headers["x-vault-token"], items[*].pin' }, 'tool').logRedactPaths;
    const { logger, text } = capture({ redactPaths: paths });
    logger.info({ body: { apiKey: 'k-1', keep: 1 }, headers: { 'x-vault-token': 'hvs.abc' }, items: [{ pin: '1234' }, { pin: '5678' }] }, 'extra');
    const line = JSON.parse(text());
    expect(line.body).toEqual({ apiKey: '*****', keep: 1 });
    expect(line.headers['x-vault-token']).toBe('*****');
    expect(line.items).toEqual([{ pin: '*****' }, { pin: '*****' }]);
  });

  it('masks in the pretty format as well', () => {
    const { logger, text } = capture({ format: 'pretty' });
    logger.info({ headers: { authorization: 'Bearer abc.def' }, password: 'hunter2-pretty' }, 'pretty line');
    expect(text()).toContain('pretty line');
    expect(text()).toContain('*****');
    expect(text()).not.toMatch(/abc\.def|hunter2-pretty/);
    expect(() => JSON.parse(text())).toThrow();
  });

  it('tags the lines written while a job runs with that job', async () => {
    const { logger, text } = capture();
    const deploymentId = crypto.randomUUID();
    await withJobLogContext({ queue: 'deployments', job: 'create', jobId: 'j-1', deploymentId }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.warn({ step: 'poll' }, 'inside');
      logger.info({}, 'inside again');
    });
    logger.info({}, 'outside');
    const [inside, again, outside] = text().trim().split('\n').map((l) => JSON.parse(l));
    expect(inside).toMatchObject({ msg: 'inside', step: 'poll', queue: 'deployments', job: 'create', jobId: 'j-1', deploymentId });
    // One line's fields stay on that line.
    expect(again).toMatchObject({ msg: 'inside again', jobId: 'j-1', deploymentId });
    expect(again).not.toHaveProperty('step');
    expect(outside).not.toHaveProperty('jobId');
    expect(outside).not.toHaveProperty('deploymentId');
  });
});

describe('the log format', () => {
  it('is pretty only for the all-in-one process on a terminal unless LOG_FORMAT says otherwise', () => {
    const config = (env: Record<string, string>, mode: 'all-in-one' | 'worker') => ({ ...loadConfig(env, 'tool'), mode });
    expect(resolveLogFormat(config({}, 'all-in-one'), true)).toBe('pretty');
    expect(resolveLogFormat(config({}, 'all-in-one'), false)).toBe('json');
    expect(resolveLogFormat(config({}, 'worker'), true)).toBe('json');
    expect(resolveLogFormat(config({ LOG_FORMAT: 'json' }, 'all-in-one'), true)).toBe('json');
    expect(resolveLogFormat(config({ LOG_FORMAT: 'pretty' }, 'worker'), false)).toBe('pretty');
  });
});
