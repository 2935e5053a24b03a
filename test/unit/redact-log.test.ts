import { describe, expect, it } from 'vitest';
import { redactLogText, secretValuesOf } from '../../src/services/logs/redact-log.js';

describe('secretValuesOf', () => {
  it('takes only the named secret inputs that have a value long enough to mask', () => {
    const inputs = { admin_password: 'hunter2!', num_cpus: 2, api_token: 'tok-123456', pin: '12', unset_secret: null };
    expect(secretValuesOf(inputs, ['admin_password', 'api_token', 'pin', 'unset_secret'])).toEqual(['tok-123456', 'hunter2!']);
  });

  it('serialises structured secret values', () => {
    expect(secretValuesOf({ creds: { user: 'a', pass: 'b' } }, ['creds'])).toEqual(['{"user":"a","pass":"b"}']);
  });

  it('answers nothing for missing inputs', () => {
    expect(secretValuesOf(null, ['x'])).toEqual([]);
  });
});

describe('redactLogText', () => {
  it('masks a secret value however it is written around', () => {
    const out = redactLogText('echo Correct-Horse-9 > /etc/app.conf; user said Correct-Horse-9', ['Correct-Horse-9']);
    expect(out).toBe('echo ***** > /etc/app.conf; user said *****');
  });

  it('masks a value containing another one whole', () => {
    expect(redactLogText('abcd-efgh and abcd', secretValuesOf({ a: 'abcd', b: 'abcd-efgh' }, ['a', 'b']))).toBe('***** and *****');
  });

  it('also masks secret-looking patterns the inputs do not name', () => {
    expect(redactLogText('ok => {"db_password": "x9x9x9"}', [])).toBe('ok => {"db_password": "*****"}');
  });
});
