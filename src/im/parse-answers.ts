import { ImError } from './errors.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function invalidAnswer(operation: string, why: string): ImError {
  return new ImError(`IM ${operation} answered with an unexpected body: ${why}`, { kind: 'invalid', operation });
}

export function parseJsonObject(operation: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidAnswer(operation, 'not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidAnswer(operation, 'not a JSON object');
  return parsed as Record<string, unknown>;
}

/** The wrapped field of a JSON answer (`{"<field>": value}`). */
export function jsonField(operation: string, text: string, field: string): unknown {
  const obj = parseJsonObject(operation, text);
  if (!(field in obj)) throw invalidAnswer(operation, `no "${field}" field`);
  return obj[field];
}

/** URIs from `{"uri-list":[{"uri":…}]}`; an empty body means an empty list. */
export function parseUriList(operation: string, text: string): string[] {
  if (text.trim() === '') return [];
  const list = jsonField(operation, text, 'uri-list');
  if (!Array.isArray(list)) throw invalidAnswer(operation, '"uri-list" is not a list');
  return list.map((item) => {
    const uri = item && typeof item === 'object' ? (item as Record<string, unknown>).uri : undefined;
    if (typeof uri !== 'string') throw invalidAnswer(operation, 'a "uri-list" item has no uri');
    return uri;
  });
}

/**
 * The infrastructure id inside an IM URI (its first UUID, else the segment after `infrastructures/`). A
 * malformed `%` escape throws invalidAnswer.
 */
export function infIdFromUri(uri: string, operation = 'parseUri'): string | undefined {
  const m = UUID.exec(uri);
  if (m) return m[0].toLowerCase();
  const seg = /\/infrastructures\/([^/?#]+)/.exec(uri);
  return seg ? decodeSegment(operation, seg[1]) : undefined;
}

/** The VM id at the end of `…/vms/<id>`; a malformed `%` escape throws invalidAnswer. */
export function vmIdFromUri(uri: string, operation = 'parseUri'): string | undefined {
  const m = /\/vms\/([^/?#]+)\/?$/.exec(uri);
  return m ? decodeSegment(operation, m[1]) : undefined;
}

function decodeSegment(operation: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidAnswer(operation, `a URI holds a malformed escape (${JSON.stringify(segment.slice(0, 80))})`);
  }
}
