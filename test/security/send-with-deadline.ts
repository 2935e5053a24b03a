import type { FuzzRequest } from './fuzz-requests.js';

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends one request and reads its whole answer within the deadline; an event stream counts as answered
 * once its headers arrive (it is meant to stay open), and is closed right away.
 */
export async function sendWithDeadline(baseUrl: string, req: FuzzRequest, deadlineMs: number): Promise<FuzzAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  try {
    const res = await fetch(`${baseUrl}${req.target}`, { method: req.method, headers: req.headers, body: req.body, signal: controller.signal });
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) {
      controller.abort();
      return { status: res.status, contentType, text: '' };
    }
    return { status: res.status, contentType, text: await res.text() };
  } catch (err) {
    if (controller.signal.aborted) throw new Error(`No answer within ${deadlineMs} ms to ${req.operation} (${req.method} ${req.target.slice(0, 300)})`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
