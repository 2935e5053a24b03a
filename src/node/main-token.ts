import { parseArgs } from 'node:util';
import { bootConfig, fatal } from './boot.js';
import { readDevIssuer } from './dev-issuer.js';

const config = bootConfig('tool');
const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    groups: { type: 'string', default: 'users' },
    name: { type: 'string' },
    email: { type: 'string' },
    expires: { type: 'string', default: '3600' },
    'refresh-token': { type: 'boolean', default: false },
  },
});
if (!values.sub) {
  fatal('usage: npm run token -- --sub alice [--groups users,admins] [--name "Alice"] [--email a@x] [--expires 3600] [--refresh-token]');
}
const expiresInSec = Number(values.expires);
if (!Number.isInteger(expiresInSec) || expiresInSec <= 0) fatal('--expires must be a positive number of seconds');

try {
  const issuer = await readDevIssuer(config.dataDir);
  const claims = {
    sub: values.sub,
    groups: values.groups.split(',').map((g) => g.trim()).filter(Boolean),
    name: values.name,
    email: values.email,
    audience: config.oidc.audience,
    expiresInSec,
  };
  // --refresh-token: a refresh token instead (PATCH it into the user); the access tokens the dev
  // issuer's token endpoint mints from it carry these claims and live --expires seconds.
  const token = values['refresh-token'] ? await issuer.mintRefreshToken(claims) : await issuer.mint(claims);
  process.stdout.write(`${token}\n`);
} catch (err) {
  fatal('cannot mint a token', err);
}
