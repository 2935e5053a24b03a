import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { singleNodeTemplate } from '../im/templates.js';

// errors.test.ts covers a v1 body over BODY_LIMIT_BYTES that declares its Content-Length; these are the
// bodies that do not (chunked) and the legacy surface, which has a limit of its own.
const LIMIT = 4096;

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: String(LIMIT) });
  token = await t.token('body-limits');
});
afterAll(async () => {
  await t?.close();
});

/** A JSON body sent chunked, without Content-Length, so the limit must be enforced while reading. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 1024));
      at += 1024;
    },
  });
}

async function post(path: string, body: string | ReadableStream<Uint8Array>) {
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const padded = (name: string) => JSON.stringify({ content: `${singleNodeTemplate()}# ${'x'.repeat(LIMIT)}\n`, name });

describe('request bodies over BODY_LIMIT_BYTES', () => {
  it('refuses a chunked v1 body with 413 and stores nothing', async () => {
    const res = await post('/api/v1/templates', chunked(padded('chunked-too-big')));
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
    const fits = await post('/api/v1/templates', chunked(JSON.stringify({ content: singleNodeTemplate(), name: 'chunked-fits' })));
    expect(fits.status).toBe(201);
    const names = ((await t.call('GET', '/api/v1/templates?size=100', { token })).body.data as Array<{ name: string }>).map((d) => d.name);
    expect(names).toEqual(['chunked-fits']);
  });

  it('refuses a legacy body over the limit with 413 in the legacy shape, declared or chunked', async () => {
    const body = JSON.stringify({ template: `${singleNodeTemplate()}# ${'x'.repeat(LIMIT)}\n` });
    for (const sent of [body, chunked(body)]) {
      const res = await post('/deployments', sent);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ code: 413, title: 'Payload Too Large', message: `Request body exceeds ${LIMIT} bytes` });
    }
    expect((await t.call('GET', '/deployments', { token })).body.content).toEqual([]);
  });
});
