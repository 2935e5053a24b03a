import fc from 'fast-check';
import type { Operation } from './fuzz-operations.js';
import { brokenJson, encodePathSegment, hostileString, hostileValue, isSendableHeader, RawJson, toJsonText } from './hostile-values.js';
import { knownId, schemaValues, type JsonSchema, type KnownIds } from './schema-values.js';

export interface FuzzRequest {
  method: string;
  /** Path and query, ready to append to the server URL. */
  target: string;
  headers: Record<string, string>;
  body?: string;
  /** The operation it was generated from, for failure messages. */
  operation: string;
}

export interface FuzzContext {
  known: KnownIds;
  /** Valid bearer tokens: a normal user and an admin. */
  tokens: { user: string; admin: string };
  resolve: (ref: string) => JsonSchema;
}

/** Segments that decode to path tricks, invalid UTF-8 or nothing. */
const RAW_SEGMENTS = ['%ED%A0%80', '%', '%ZZ', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%00', 'a%2Fb', '%C0%AE', '%F0%9F%9A%80', '.', '..'];
const HOSTILE_SORTS = ['created_at;drop table users', '-', '--created_at', 'created_at,asc', 'password', 'refresh_token_encrypted', '-sub,-issuer', 'createdAt,desc', 'status desc', '(select 1)'];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/merge-patch+json', 'application/yaml', 'application/json, text/plain', ';;;', 'application/json; charset="', 'APPLICATION/JSON', 'application/jsonx'];

const asQueryText = (v: unknown): string => (typeof v === 'string' ? v : v instanceof RawJson ? v.text : typeof v === 'object' && v !== null ? toJsonText(v) : String(v));

function pathValues(known: KnownIds): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: knownId(known), weight: 5 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: hostileString.map(encodePathSegment), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 },
  );
}

function queryValues(op: Operation, ctx: FuzzContext): fc.Arbitrary<Array<[string, string]>> {
  const known = op.query.map((q) =>
    fc.tuple(
      fc.constant(q.name),
      fc.oneof(
        { arbitrary: schemaValues(q.schema, ctx.known, ctx.resolve).map(asQueryText), weight: 3 },
        { arbitrary: hostileString, weight: 2 },
        ...(q.name === 'sort' ? [{ arbitrary: fc.constantFrom(...HOSTILE_SORTS), weight: 2 }] : []),
      ),
    ),
  );
  const unknown = fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('access_token', '__proto__', 'page[]', 'size', 'sort')), hostileString);
  const chosen: fc.Arbitrary<Array<[string, string]>> = fc.subarray(known).chain((picked) => fc.tuple(...picked));
  return fc.tuple(chosen, fc.array(unknown, { maxLength: 2 }), fc.nat(5)).map(([pairs, extra, n]) => [...pairs, ...(n === 0 ? extra : [])]);
}

function authorizationValues(ctx: FuzzContext): fc.Arbitrary<string | undefined> {
  const { user, admin } = ctx.tokens;
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${user}`), weight: 6 },
    { arbitrary: fc.constant(`Bearer ${admin}`), weight: 6 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        'Basic dXNlcjpwYXNz',
        'Bearer',
        'Bearer ',
        `bearer ${user}`,
        `BEARER ${admin}`,
        `Bearer ${user} extra`,
        `Bearer ${user.slice(0, -4)}AAAA`,
        `Token ${user}`,
        `Bearer ${'A'.repeat(20_000)}`,
        'Bearer a.b.c',
        'Bearer ..',
        'Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXagMDAu',
        `Bearer ${user}, Basic eDp5`,
        'Digest username="x", realm="y"',
        `Bearer\t${user}`,
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"root","groups":["admins"]}').toString('base64url')}.`,
      ),
      weight: 2,
    },
  );
}

/** Headers every request may carry: forwarded-host tricks, odd request ids, one past the server's header limit. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'x-request-id': hostileString,
      'x-forwarded-host': fc.oneof(hostileString, fc.constantFrom('evil.example.org', 'a:b:c', '[::1', '')),
      'x-forwarded-proto': fc.constantFrom('https', 'javascript', '', 'http, https'),
      'x-forwarded-prefix': fc.oneof(hostileString, fc.constantFrom('//evil.example.org', '/../..')),
      'last-event-id': hostileString,
    },
    { requiredKeys: [] },
  )
  .chain((h) => fc.nat(19).map((n) => (n === 0 ? { ...h, 'x-padding': 'a'.repeat(20_000) } : h)))
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => isSendableHeader(v))));

function bodyValues(schema: JsonSchema, ctx: FuzzContext): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: schemaValues(schema, ctx.known, ctx.resolve).map(toJsonText), weight: 8 },
    { arbitrary: hostileValue.map(toJsonText), weight: 1 },
    { arbitrary: brokenJson.map((b) => b.text), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/** Requests for one operation: valid-ish values from its schema mixed with hostile ones everywhere. */
export function requestsFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const params = op.pathParams.length ? fc.tuple(...op.pathParams.map(() => pathValues(ctx.known))) : fc.constant([] as string[]);
  const declaredHeaders = fc.tuple(...op.headers.map((h) => fc.option(fc.oneof(hostileString, schemaValues(h.schema, ctx.known, ctx.resolve).map(asQueryText)), { nil: undefined })));
  const body = op.body ? bodyValues(op.body, ctx) : fc.constant(undefined);
  const contentType = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
  return fc
    .record({
      params,
      query: queryValues(op, ctx),
      auth: authorizationValues(ctx),
      declared: declaredHeaders,
      extra: fc.option(extraHeaders, { nil: undefined, freq: 3 }),
      body,
      contentType,
    })
    .map((r) => {
      let i = 0;
      const path = op.path.replace(/\{\w+\}/g, () => r.params[i++]!);
      const search = new URLSearchParams(r.query).toString();
      const headers: Record<string, string> = { ...r.extra };
      op.headers.forEach((h, n) => {
        const v = r.declared[n];
        if (v !== undefined && isSendableHeader(v)) headers[h.name] = v;
      });
      if (r.auth) headers.authorization = r.auth;
      if (r.body !== undefined && r.contentType) headers['content-type'] = r.contentType;
      return { method: op.method, target: search ? `${path}?${search}` : path, headers, body: r.body, operation: `${op.method} ${op.path}` };
    });
}
