import fc from 'fast-check';

/** JSON text written verbatim into a body: numbers JSON.stringify cannot produce, or deliberately broken JSON. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Deep enough to break any recursive walk that forgot a limit. */
export const DEEP = 10_000;

export const SQL_STRINGS = ["' or 1=1 --", "'; drop table users; --", '" or ""="', "1); select pg_sleep(30); --", "x' union select password from pg_shadow --", '\\'];
export const YAML_STRINGS = [
  '!!js/function "function () { return process.exit(1) }"',
  '!!python/object/apply:os.system ["id"]',
  '&a [*a]',
  '*undefined_alias',
  '{ a: &x 1, b: *x, <<: *x }',
  '? [a, b]\n: c',
  '%TAG ! tag:evil.example,2000:\n--- !x 1',
];
export const UNICODE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udfff\ud800', '\u202eevil\u202c.txt', '\u200b', '🚀🧨👩‍👩‍👧‍👦', 'Zoë', '\ufeff', '\uffff', '\r\n', '\u2028\u2029'];
export const NUMERIC_STRINGS = ['1e309', '-0', '9007199254740993', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', ' 42 ', '+1', '1.5', '-1', '0', '99999999999999999999', '1e-400'];
export const OTHER_STRINGS = ['', ' ', 'null', 'undefined', 'true', '[]', '{}', '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '../../etc/passwd', '%', '%00', '%ZZ', '__proto__', 'constructor', 'me'];

/** Strings that have broken parsers, queries or renderers before. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SQL_STRINGS, ...YAML_STRINGS, ...UNICODE_STRINGS, ...NUMERIC_STRINGS, ...OTHER_STRINGS), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(300, 2_000, 70_000).map((n) => 'a'.repeat(n)), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(...SQL_STRINGS, ...UNICODE_STRINGS), fc.string({ maxLength: 10 })).map(([a, b]) => `${b}${a}${b}`), weight: 2 },
);

/** Numbers at the edges: overflow to Infinity, negative zero, past 2^53, tiny, fractional. */
export const hostileNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(new RawJson('1e309'), new RawJson('-1e309'), new RawJson('-0'), new RawJson('9007199254740993'), new RawJson('1e-400'), new RawJson('123456789012345678901234567890')),
  fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 0.5, 1e308),
  fc.integer({ min: -20, max: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Text that is not JSON at all, or JSON nested past any sane depth. */
export const brokenJson: fc.Arbitrary<RawJson> = fc.constantFrom(
  new RawJson(''),
  new RawJson('{'),
  new RawJson('{"a":'),
  new RawJson('NaN'),
  new RawJson('{"a": NaN}'),
  new RawJson('{"a": 0x10}'),
  new RawJson("{'a': 1}"),
  new RawJson('{"a":1,}'),
  new RawJson('\ufeff{}'),
  new RawJson('{"a":"\\ud800"}'),
  new RawJson('{"a":"\\u0000"}'),
  new RawJson('{"__proto__":{"isAdmin":true}}'),
  new RawJson(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`),
  new RawJson(`${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`),
);

const deepValue = (n: number) => new RawJson(`${'['.repeat(n)}"x"${']'.repeat(n)}`);

/** Any JSON-ish value: hostile leaves, small containers, and once in a while one nested 10,000 deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.constantFrom(true, false, null),
    fc.constant(deepValue(DEEP)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', '')), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** JSON text of a value that may hold RawJson pieces. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? 'null';
}

/** Percent-encodes every UTF-8 byte a URL cannot carry as is; lone surrogates go through as U+FFFD like a browser sends them. */
export function encodePathSegment(raw: string): string {
  return [...new TextEncoder().encode(raw)].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Header values a client can put on the wire (no CR, LF or NUL, bytes only). */
export const isSendableHeader = (v: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v);
