/** Thrown for plain scalars whose meaning depends on context js-yaml does not give us; the caller re-parses with `yaml`. */
export class NeedsFullParser extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NeedsFullParser';
  }
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT_DEC = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
const INT_SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/;
const FLOAT_SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;

/** Characters a non-string plain scalar of the YAML 1.1 schema can start with. */
const SPECIAL_START = new Set('~nNyYtTfFoO0123456789+-.<');

export type Resolved = { value: unknown } | undefined;

/**
 * The value of a plain scalar under the YAML 1.1 schema, tried in the order npm `yaml` (version 1.1) tries its
 * tags; undefined when it stays a string. Timestamps and `<<` throw NeedsFullParser: `yaml` renders timestamp
 * keys and merges `<<` keys in ways js-yaml cannot reproduce.
 */
export function resolvePlainScalar(s: string): Resolved {
  if (s === '') return { value: null };
  if (!SPECIAL_START.has(s[0])) return undefined;
  if (NULL.test(s)) return { value: null };
  if (TRUE.test(s)) return { value: true };
  if (FALSE.test(s)) return { value: false };
  if (INT_BIN.test(s)) return { value: parseInteger(s, 2, 2) };
  if (INT_OCT.test(s)) return { value: parseInteger(s, 1, 8) };
  if (INT_DEC.test(s)) return { value: parseInteger(s, 0, 10) };
  if (INT_HEX.test(s)) return { value: parseInteger(s, 2, 16) };
  if (FLOAT_SPECIAL.test(s)) {
    if (s.slice(-3).toLowerCase() === 'nan') return { value: NaN };
    return { value: s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY };
  }
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return { value: parseFloat(s.replace(/_/g, '')) };
  if (s === '<<') throw new NeedsFullParser('merge key');
  if (INT_SEXAGESIMAL.test(s) || FLOAT_SEXAGESIMAL.test(s)) return { value: parseSexagesimal(s) };
  if (TIMESTAMP.test(s)) throw new NeedsFullParser('timestamp');
  return undefined;
}

/** `prefix` is the length of the radix marker after the sign (`0b`, `0`, `0x`). */
function parseInteger(s: string, prefix: number, radix: number): number {
  const sign = s[0];
  const digits = s.substring(prefix + (sign === '-' || sign === '+' ? 1 : 0)).replace(/_/g, '');
  const n = parseInt(digits, radix);
  return sign === '-' ? -1 * n : n;
}

/** `1:30` is 90, `1:30.5` is 90.5 (base 60, YAML 1.1). */
function parseSexagesimal(s: string): number {
  const sign = s[0];
  const body = sign === '-' || sign === '+' ? s.substring(1) : s;
  const n = body
    .replace(/_/g, '')
    .split(':')
    .reduce((acc, part) => acc * 60 + Number(part), 0);
  return sign === '-' ? -1 * n : n;
}
