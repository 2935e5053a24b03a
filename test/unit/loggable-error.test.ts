import { describe, expect, it } from 'vitest';
import { loggableError } from '../../src/services/loggable-error.js';

describe('loggableError', () => {
  it('cuts query parameters out of database errors, in the message and the stack', () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const err = new Error('Failed query: insert into "templates" ("content") values ($1)\nparams: admin_password: changeme', { cause });
    err.name = 'DrizzleQueryError';
    const logged = loggableError(err);
    expect(JSON.stringify(logged)).not.toContain('changeme');
    expect(logged).toMatchObject({ name: 'DrizzleQueryError', code: '22021', message: 'Failed query: insert into "templates" ("content") values ($1)\nparams: *****' });
    expect(logged.stack).toContain('params: *****');
  });

  it('keeps ordinary errors as they are', () => {
    expect(loggableError(new TypeError('x is undefined'))).toMatchObject({ name: 'TypeError', message: 'x is undefined' });
    expect(loggableError('plain string').message).toBe('plain string');
  });
});
