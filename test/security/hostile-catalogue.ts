import type { Operation } from './fuzz-operations.js';
import type { FuzzRequest } from './fuzz-requests.js';
import { DEEP, RawJson, toJsonText } from './hostile-values.js';

/** Every field of every body gets each of these, on top of an otherwise valid body. */
export const EDGE_VALUES: unknown[] = [
  new RawJson('1e309'),
  new RawJson('-0'),
  new RawJson('9007199254740993'),
  new RawJson('1e-400'),
  'NaN',
  '1e309',
  '\u0000',
  '\ud800',
  '\u202eevil',
  '🚀',
  "' or 1=1 --",
  '!!js/function "function () { return 1 }"',
  '&a [*a, *a, *a]',
  new RawJson(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`),
  'x'.repeat(100_000),
  null,
  [],
  {},
  true,
];

/** Fields holding template inputs: the edge values also go one level down, as the value of a declared input. */
const INPUT_FIELDS = new Set(['template_inputs', 'parameters']);
const INPUT_NAMES = ['vm_count', 'admin_password'];

/** Every query parameter of every operation gets each of these (the client sends them UTF-8 percent-encoded). */
export const QUERY_EDGE_VALUES = ['\u0000', 'a\u0000b', '%', '%00', "' or 1=1 --", '1e309', '-0', '9007199254740993', 'NaN', '-1', '0', '\ud800', '🚀', '\u202e', 'x'.repeat(5_000), '', '[]', 'created_at;drop table users', '-created_at,name'];

/** Bodies that are not JSON, or not a JSON object: any operation with a required body must refuse them. */
export const MALFORMED_BODIES = ['', '{', '{"a":', 'NaN', '{"a": NaN}', '{"a": 0x10}', "{'a': 1}", '{"a":1,}', '[]', '"text"', '42', 'null', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`];

/** Content types that are not JSON: a JSON body sent under one of them is refused. */
export const NON_JSON_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/yaml', 'application/jsonx'];

/** Authorization headers that carry no valid token; the caller's real token is woven into some. */
export function badAuthorizations(token: string, expired: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const [header, payload] = token.split('.');
  const forged = `${header}.${b64(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), groups: ['admins'] }))}.${token.split('.')[2]}`;
  return [
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer ',
    `Token ${token}`,
    `Bearer ${token} extra`,
    `Bearer ${token.slice(0, -4)}AAAA`,
    'Bearer a.b.c',
    'Bearer ..',
    `Bearer ${b64('{"alg":"none"}')}.${b64('{"sub":"root","groups":["admins"]}')}.`,
    `Bearer ${forged}`,
    `Bearer ${expired}`,
    'Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXagMDAu',
    'Digest username="x", realm="y"',
  ];
}

/** One request per field and edge value, each on a copy of the valid base body. */
export function edgeBodies(op: Operation, base: Record<string, unknown>): Array<{ field: string; body: string }> {
  const fields = Object.keys(op.body?.properties ?? {});
  return fields.flatMap((field) =>
    EDGE_VALUES.flatMap((value) => {
      const direct = { field, body: toJsonText({ ...base, [field]: value }) };
      if (!INPUT_FIELDS.has(field)) return [direct];
      return [direct, ...INPUT_NAMES.map((input) => ({ field: `${field}.${input}`, body: toJsonText({ ...base, [field]: { [input]: value } }) }))];
    }),
  );
}

export function requestOf(op: Operation, target: string, headers: Record<string, string>, body?: string): FuzzRequest {
  return { method: op.method, target, headers, body, operation: `${op.method} ${op.path}` };
}
