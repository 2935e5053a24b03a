import { ImError, type ImErrorKind } from './errors.js';
import { redactText } from './redact-text.js';

const MAX_MESSAGE_CHARS = 500;
const DESTROY_FAILED = 'Error Destroying Inf: Error destroying the infrastructure';
const CREDENTIAL_MARKERS = ['Invalid InfrastructureManager credentials', 'OIDC auth', 'decode OIDC', 'validate OIDC'];

/** Extracts the IM's message from an error body (JSON `{message}`, HTML or plain text). */
export function extractImMessage(body: string, contentType: string | null): string {
  const text = body.trim();
  if (text.startsWith('{') || (contentType ?? '').includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') {
        const rec = parsed as Record<string, unknown>;
        if (typeof rec.message === 'string') return clip(rec.message);
        if (typeof rec.detail === 'string') return clip(rec.detail);
        if (rec.detail !== undefined) return clip(JSON.stringify(rec.detail));
      }
    } catch {
      // not JSON after all: fall through to text
    }
  }
  if ((contentType ?? '').includes('html') || /^<(!doctype|html)/i.test(text)) {
    return clip(text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
  }
  return clip(text);
}

function clip(s: string): string {
  // Only what can be shown is masked, so a huge body costs no more than a short one.
  const r = redactText(s.length > 4 * MAX_MESSAGE_CHARS ? s.slice(0, 4 * MAX_MESSAGE_CHARS) : s);
  return r.length > MAX_MESSAGE_CHARS ? `${r.slice(0, MAX_MESSAGE_CHARS)}…` : r;
}

function kindFor(status: number, message: string): { kind: ImErrorKind; retryable?: boolean } {
  if (status === 401) return { kind: 'auth' };
  if (status === 400 && CREDENTIAL_MARKERS.some((m) => message.includes(m))) return { kind: 'auth' };
  // A synchronous delete that failed in the cloud reverts the infrastructure; trying again may succeed.
  if (status === 400 && message.startsWith(DESTROY_FAILED)) return { kind: 'invalid', retryable: true };
  if (status === 403) {
    return message.includes('Function currently disabled')
      ? { kind: 'forbidden', retryable: true }
      : { kind: 'forbidden' };
  }
  if (status === 404) return { kind: 'not_found' };
  if (status === 409) return { kind: 'conflict' };
  if (status === 408 || status === 504) return { kind: 'timeout' };
  if (status === 429 || status >= 500) return { kind: 'unavailable' };
  return { kind: 'invalid' };
}

/** Maps a non-2xx IM answer to a typed error. */
export function errorFromResponse(
  operation: string,
  status: number,
  body: string,
  contentType: string | null,
  retryAfter: string | null = null,
): ImError {
  const imMessage = extractImMessage(body, contentType);
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  const { kind, retryable } = kindFor(status, imMessage);
  const detail = imMessage ? `: ${imMessage}` : '';
  return new ImError(`IM ${operation} failed with HTTP ${status}${detail}`, {
    kind,
    status,
    retryable,
    imMessage: imMessage || undefined,
    operation,
    retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
  });
}
