import { parseImAuthHeader } from './auth-parse.js';
import { ImError } from './errors.js';
import { MASK, redactText } from './redact-text.js';
import type { CloudLine, ImCredentials } from './types.js';

const LINE_SEPARATOR = '\\n';
const EMBEDDED_NEWLINE = '\\\\n';
const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/;
// A trailing backslash would escape the closing quote the IM's parser expects, so it is quoted too.
const NEEDS_QUOTES = /[;="']|\\$|^\s|\s$|^$/;
const VISIBLE_KEYS = new Set(['id', 'type', 'host']);

/** Where the user's access token goes on a provider line, by provider type. */
const TOKEN_FIELD: Record<string, 'password' | 'token' | undefined> = {
  OpenStack: 'password',
  OpenNebula: 'token',
  Kubernetes: 'token',
  EGI: 'token',
  Vault: 'token',
  Orchestrator: 'token',
};

function invalid(message: string): ImError {
  return new ImError(message, { kind: 'invalid', operation: 'buildImAuthHeader' });
}

function encodeValue(key: string, raw: string): string {
  if (raw.includes('\r')) throw invalid(`Authorization value for "${key}" contains a carriage return`);
  if (raw.includes('\\n')) throw invalid(`Authorization value for "${key}" contains a backslash-n sequence`);
  if (/^\s*file\(/i.test(raw)) throw invalid(`Authorization value for "${key}" must not reference a file`);
  const value = raw.replace(/\n/g, EMBEDDED_NEWLINE);
  if (!NEEDS_QUOTES.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw invalid(`Authorization value for "${key}" contains both quote characters`);
}

function formatLine(pairs: Record<string, string | undefined>): string {
  const ordered = ['id', 'type', ...Object.keys(pairs).filter((k) => k !== 'id' && k !== 'type')];
  return ordered
    .filter((k) => pairs[k] !== undefined)
    .map((k) => {
      if (!KEY.test(k)) throw invalid(`Authorization key "${k}" is not a valid name`);
      return `${k} = ${encodeValue(k, pairs[k] as string)}`;
    })
    .join(' ; ');
}

function withAccessToken(cloud: CloudLine, accessToken: string): Record<string, string | undefined> {
  if (!/^[A-Za-z]/.test(cloud.id ?? '')) throw invalid('A provider line id must start with a letter');
  if (!cloud.type) throw invalid(`Provider line "${cloud.id}" has no type`);
  const line: Record<string, string | undefined> = { ...cloud };
  const field = TOKEN_FIELD[cloud.type];
  if (field && line[field] === undefined) {
    line[field] = accessToken;
    if (cloud.type === 'OpenStack' && line.auth_version === undefined) line.auth_version = '3.x_oidc_access_token';
  }
  return line;
}

/**
 * Builds the IM Authorization header: the InfrastructureManager line, then one line per provider
 * with the user's access token in the field that provider type expects.
 */
export function buildImAuthHeader(
  credentials: ImCredentials,
  cloud: CloudLine | readonly CloudLine[],
  accessToken: string,
): string {
  const im = credentials.useAccessToken
    ? { id: 'im', type: 'InfrastructureManager', token: accessToken }
    : { id: 'im', type: 'InfrastructureManager', username: credentials.username, password: credentials.password };
  const clouds: readonly CloudLine[] = Array.isArray(cloud) ? cloud : [cloud as CloudLine];
  return [im, ...clouds.map((c) => withAccessToken(c, accessToken))].map(formatLine).join(LINE_SEPARATOR);
}

/** The header with every value except `id`, `type` and `host` masked, for logs and recorded requests. */
export function redactAuthHeader(value: string): string {
  const lines = parseImAuthHeader(value);
  if (lines.length === 0) return MASK;
  return lines
    .map((line) =>
      Object.entries(line)
        .map(([k, v]) => `${k} = ${VISIBLE_KEYS.has(k) ? redactText(v) : MASK}`)
        .join(' ; '),
    )
    .join(LINE_SEPARATOR);
}
