/** What a client of the API does: retries on errors, with an Idempotency-Key so a retry never doubles a deployment. */
export interface SubmitOptions {
  apiUrls: string[];
  token: string;
  deployments: number;
  /** Share of deployments on the failing template; every other one of those keeps its last attempt. */
  failingShare: number;
  templates: { plain: string; failing: string };
  concurrency?: number;
}

export interface Submitted {
  accepted: string[];
  unsubmitted: number;
}

const RETRIES = 60;

async function call(url: string, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // An error page from a dying process: kept as text.
  }
  return { status: res.status, body: parsed };
}

/** Calls until an answer in `ok` arrives, moving to the other API between tries; undefined when it never does. */
async function persist(o: SubmitOptions, first: number, ok: number[], send: (url: string) => Promise<{ status: number; body: any }>) {
  for (let i = 0; i < RETRIES; i++) {
    const url = o.apiUrls[(first + i) % o.apiUrls.length];
    const res = await send(url).catch((err: Error) => ({ status: 0, body: err.message }));
    if (ok.includes(res.status)) return res;
    if (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 409) throw new Error(`API refused the request (${res.status}): ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 300 * Math.min(i + 1, 5)));
  }
  return undefined;
}

export async function submitAll(o: SubmitOptions): Promise<Submitted> {
  const user = await persist(o, 0, [201, 409], (url) => call(url, o.token, 'POST', '/api/v1/users'));
  if (!user) throw new Error('could not register the user');
  const template = async (content: string, name: string) => {
    const res = await persist(o, 1, [201], (url) => call(url, o.token, 'POST', '/api/v1/templates', { content, name }));
    if (!res) throw new Error(`could not upload template ${name}`);
    return res.body.id as string;
  };
  const plain = await template(o.templates.plain, 'chaos-plain');
  const failing = await template(o.templates.failing, 'chaos-vm-failed');
  const failEvery = o.failingShare > 0 ? Math.round(1 / o.failingShare) : 0;

  const accepted: string[] = [];
  let unsubmitted = 0;
  let next = 0;
  const one = async (i: number) => {
    const failingOne = failEvery > 0 && i % failEvery === 0;
    const body = failingOne
      ? { template_id: failing, per_provider_max_retries: 2, keep_last_attempt: Math.floor(i / failEvery) % 2 === 0 }
      : { template_id: plain };
    const key = `chaos-${i}-${crypto.randomUUID()}`;
    const res = await persist(o, i, [201, 202], (url) => call(url, o.token, 'POST', '/api/v1/deployments', body, { 'idempotency-key': key }));
    if (res) accepted.push(res.body.id);
    else unsubmitted++;
  };
  await Promise.all(
    Array.from({ length: o.concurrency ?? 8 }, async () => {
      while (next < o.deployments) await one(next++);
    }),
  );
  return { accepted, unsubmitted };
}
