import { describe, expect, it } from 'vitest';
import { buildImAuthHeader, redactAuthHeader } from '../../src/im/auth-header.js';
import { parseImAuthHeader } from '../../src/im/auth-parse.js';
import { ImError } from '../../src/im/errors.js';
import type { CloudLine } from '../../src/im/types.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const OST: CloudLine = {
  id: 'ost',
  type: 'OpenStack',
  host: 'https://keystone.example.org:443',
  username: 'infn-cloud',
  tenant: 'oidc',
  domain: 'my-project',
  service_region: 'RegionOne',
};

describe('buildImAuthHeader', () => {
  it('writes the IM line then the provider line, pairs joined by " ; " and lines by a literal backslash-n', () => {
    const header = buildImAuthHeader({ username: 'orch', password: 'pw' }, OST, TOKEN);
    expect(header).toBe(
      'id = im ; type = InfrastructureManager ; username = orch ; password = pw' +
        '\\n' +
        `id = ost ; type = OpenStack ; host = https://keystone.example.org:443 ; username = infn-cloud ; tenant = oidc ; domain = my-project ; service_region = RegionOne ; password = ${TOKEN} ; auth_version = 3.x_oidc_access_token`,
    );
    expect(header).not.toMatch(/[\r\n]/);
  });

  it('puts the access token on the IM line when the credentials say so', () => {
    const header = buildImAuthHeader({ username: '', password: '', useAccessToken: true }, OST, TOKEN);
    const [im] = parseImAuthHeader(header);
    expect(im).toEqual({ id: 'im', type: 'InfrastructureManager', token: TOKEN });
  });

  it('keeps an explicit OpenStack password (non-IAM site) and does not force the OIDC auth version', () => {
    const header = buildImAuthHeader({ username: 'u', password: 'p' }, { ...OST, password: 'site-secret', auth_version: '3.x_password' }, TOKEN);
    const [, cloud] = parseImAuthHeader(header);
    expect(cloud.password).toBe('site-secret');
    expect(cloud.auth_version).toBe('3.x_password');
    expect(header).not.toContain(TOKEN);
  });

  it('fills `token` for token-based providers and nothing for Dummy', () => {
    const header = buildImAuthHeader({ username: 'u', password: 'p' }, [
      { id: 'one', type: 'OpenNebula', host: 'https://one.example.org' },
      { id: 'dummy', type: 'Dummy' },
    ], TOKEN);
    const [, one, dummy] = parseImAuthHeader(header);
    expect(one.token).toBe(TOKEN);
    expect(dummy).toEqual({ id: 'dummy', type: 'Dummy' });
  });

  it('quotes values holding "=" or ";" so the IM does not drop the rest of the line', () => {
    const header = buildImAuthHeader({ username: 'orch', password: 'a=b;c' }, OST, TOKEN);
    expect(header).toContain('password = "a=b;c"');
    const [im, cloud] = parseImAuthHeader(header);
    expect(im.password).toBe('a=b;c');
    expect(cloud.domain).toBe('my-project');
  });

  it('uses single quotes when the value holds a double quote', () => {
    const header = buildImAuthHeader({ username: 'orch', password: 'say "hi"; ok' }, OST, TOKEN);
    expect(parseImAuthHeader(header)[0].password).toBe('say "hi"; ok');
  });

  it('embeds a multi-line value (PEM) with the escaped newline the IM turns back into a newline', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const header = buildImAuthHeader({ username: 'u', password: 'p' }, { id: 'egi', type: 'EGI', host: 'site', proxy: pem }, TOKEN);
    expect(header).not.toMatch(/\n/);
    expect(parseImAuthHeader(header)[1].proxy).toBe(pem);
  });

  it.each([
    ['a file reference', { password: 'file(/etc/passwd)' }],
    ['a carriage return', { password: 'a\rb' }],
    ['a literal backslash-n', { password: 'a\\nb' }],
    ['both quote characters', { password: `it's "x"` }],
  ])('refuses %s with an invalid ImError', (_what, creds) => {
    const build = () => buildImAuthHeader({ username: 'u', ...creds }, OST, TOKEN);
    expect(build).toThrow(ImError);
    expect(build).toThrow(expect.objectContaining({ kind: 'invalid', retryable: false }));
  });

  it('refuses a provider id that does not start with a letter', () => {
    expect(() => buildImAuthHeader({ username: 'u', password: 'p' }, { ...OST, id: '1ost' }, TOKEN)).toThrow(
      expect.objectContaining({ kind: 'invalid' }),
    );
  });
});

describe('parseImAuthHeader', () => {
  it('reproduces the IM quirk: an unquoted "=" in a value stops the rest of that line', () => {
    const [line] = parseImAuthHeader('id = im ; type = InfrastructureManager ; password = a=b ; username = u');
    expect(line).toEqual({ id: 'im', type: 'InfrastructureManager' });
  });

  it('skips blank and comment lines and accepts spaces-free pairs', () => {
    const lines = parseImAuthHeader('# comment\\n\\ntype=InfrastructureManager;username=u;password=p');
    expect(lines).toEqual([{ type: 'InfrastructureManager', username: 'u', password: 'p' }]);
  });

  it('strips one level of quotes', () => {
    expect(parseImAuthHeader(`type = 'Kubernetes' ; token = "x"`)).toEqual([{ type: 'Kubernetes', token: 'x' }]);
  });
});

describe('redactAuthHeader', () => {
  it('keeps id, type and host and masks everything else', () => {
    const header = buildImAuthHeader({ username: 'orch', password: 'pw' }, OST, TOKEN);
    const red = redactAuthHeader(header);
    expect(red).not.toContain(TOKEN);
    expect(red).not.toContain('pw ');
    expect(red).toContain('type = OpenStack');
    expect(red).toContain('host = https://keystone.example.org:443');
    expect(red).toContain('password = *****');
  });

  it('masks a header it cannot parse entirely', () => {
    expect(redactAuthHeader('Bearer abc')).toBe('*****');
  });
});
