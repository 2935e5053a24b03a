import type { Context } from 'hono';
import type { ParsedTemplate, ParseResult } from '../../tosca/index.js';
import { fail } from './request-context.js';

const TOSCA_TYPES = new Set(['text/yaml', 'text/x-yaml', 'application/yaml']);
const RADL_TYPES = new Set(['text/plain', 'application/json']);

/** Checks the body's Content-Type: TOSCA is served, RADL is refused (400), anything else is 415. */
export function checkToscaContentType(c: Context, op: string): Response | undefined {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (TOSCA_TYPES.has(type)) return undefined;
  if (RADL_TYPES.has(type)) return fail(c, 400, op, 'The IM simulator only accepts TOSCA documents (text/yaml), not RADL');
  return fail(c, 415, op, `Unsupported Media Type ${type || '(none)'}`);
}

export async function parseToscaBody(
  c: Context,
  parse: (text: string) => Promise<ParseResult>,
  op: string,
  text: string,
): Promise<ParsedTemplate | Response> {
  const parsed = await parse(text);
  if (parsed.ok) return parsed.template;
  const detail = parsed.errors
    .slice(0, 5)
    .map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))
    .join('; ');
  return fail(c, 400, op, `Error parsing TOSCA document: ${detail}`);
}
