/** Longest string a `pattern` constraint is tested against; longer values are rejected unchecked. */
export const MAX_PATTERN_SUBJECT = 1024;

interface Group {
  risky: boolean;
}

/**
 * Why a regular expression could backtrack exponentially, or undefined. A repeated group (`(…)*`, `(…)+`,
 * `(…){2,}`) that itself holds a quantifier or an alternation is refused: `(a+)+`, `(a|a)*`.
 */
export function patternRisk(pattern: string): string | undefined {
  const stack: Group[] = [{ risky: false }];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      i = classEnd(pattern, i + 1);
      continue;
    }
    if (c === '(') {
      stack.push({ risky: false });
      i++;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1].risky = true;
      i++;
      continue;
    }
    if (c === ')' && stack.length > 1) {
      const group = stack.pop() as Group;
      const after = quantifierAt(pattern, i + 1);
      if (after.repeats && group.risky) {
        return 'it repeats a group that holds a quantifier or an alternation, which can take exponential time';
      }
      if (group.risky || after.length) stack[stack.length - 1].risky = true;
      i += 1 + after.length;
      continue;
    }
    const q = quantifierAt(pattern, i);
    if (q.length) {
      stack[stack.length - 1].risky = true;
      i += q.length;
      continue;
    }
    i++;
  }
  return undefined;
}

function classEnd(pattern: string, from: number): number {
  let i = from;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The quantifier starting at `at` (with its lazy `?`), its length, and whether it allows more than one repetition. */
function quantifierAt(pattern: string, at: number): { length: number; repeats: boolean } {
  const c = pattern[at];
  let length = 0;
  let repeats = false;
  if (c === '*' || c === '+') {
    length = 1;
    repeats = true;
  } else if (c === '?') {
    length = 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at, at + 24));
    if (m) {
      length = m[0].length;
      const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      repeats = max > 1;
    }
  }
  if (length && pattern[at + length] === '?') length++;
  return { length, repeats };
}
