/** One Server-Sent Events message, or a comment line block (`: ping`). */
export interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

export interface SseClient {
  status: number;
  headers: Headers;
  /** Everything received so far, in order. */
  messages: SseMessage[];
  /** Resolves with the first message at or after `from` (an index into messages) that matches. */
  next(match: (m: SseMessage) => boolean, o?: { from?: number; timeoutMs?: number }): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

function parseBlock(block: string): SseMessage {
  const m: SseMessage = {};
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) m.comment = (m.comment ? `${m.comment}\n` : '') + line.slice(1).trim();
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const field = line.slice(0, at);
    const value = line.slice(at + 1).replace(/^ /, '');
    if (field === 'event') m.event = value;
    else if (field === 'id') m.id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length) m.data = data.join('\n');
  return m;
}

/** Opens an event stream with fetch and parses it from the streaming body. */
export async function openSse(url: string, o: { token?: string; headers?: Record<string, string> } = {}): Promise<SseClient> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await fetch(url, { headers, signal: abort.signal });
  const messages: SseMessage[] = [];
  let wake: Array<() => void> = [];
  const notify = () => {
    const w = wake;
    wake = [];
    w.forEach((f) => f());
  };
  let done = false;
  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          messages.push(parseBlock(buffer.slice(0, cut)));
          buffer = buffer.slice(cut + 2);
        }
        notify();
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      notify();
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    messages,
    ended,
    async next(match, { from = 0, timeoutMs = 10_000 } = {}) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.slice(from).find(match);
        if (found) return found;
        if (done) throw new Error(`stream ended without the message; got ${JSON.stringify(messages)}`);
        const left = until - Date.now();
        if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          wake.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    close: () => abort.abort(),
  };
}
