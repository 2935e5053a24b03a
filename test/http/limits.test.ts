import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_INPUTS } from '../../src/routes/v1/deployments.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { namedTemplate } from './templates.fixtures.js';

// The request body limit (413) is covered in errors.test.ts, the page size of the users and templates lists in
// users.pagination.test.ts and templates.read.test.ts.
let t: TestApp;
let alice: string;
beforeAll(async () => {
  t = await createTestApp({ TEMPLATE_MAX_BYTES: '2048' });
  alice = await t.token('limits-alice');
});
afterAll(async () => {
  await t?.close();
});

/** A valid template padded with a YAML comment to `bytes` UTF-8 bytes, of `char` (1 or 2 bytes each). */
function templateOf(name: string, bytes: number, char = 'x'): string {
  const base = `${namedTemplate(name)}# `;
  const room = bytes - new TextEncoder().encode(base).byteLength - 1;
  const unit = new TextEncoder().encode(char).byteLength;
  return `${base}${char.repeat(Math.floor(room / unit))}${'x'.repeat(room % unit)}\n`;
}

describe('template size (TEMPLATE_MAX_BYTES)', () => {
  it('stores a template of exactly the limit and refuses a byte more with 413 naming the limit, counting UTF-8 bytes', async () => {
    const fits = templateOf('limits-fits', 2048);
    expect(new TextEncoder().encode(fits).byteLength).toBe(2048);
    expect((await t.call('POST', '/api/v1/templates', { token: alice, json: { content: fits } })).status).toBe(201);

    const over = await t.call('POST', '/api/v1/templates', { token: alice, json: { content: templateOf('limits-over', 2049) } });
    expect(over.status).toBe(413);
    expect(over.body).toEqual({
      status: 413,
      detail: 'The template is 2049 bytes; templates may be at most 2048 bytes',
      errors: [{ loc: ['body', 'content'], msg: 'must be at most 2048 bytes (UTF-8)' }],
    });

    const wide = templateOf('limits-wide', 2100, 'é');
    expect(wide.length).toBeLessThan(2048);
    expect((await t.call('POST', '/api/v1/templates', { token: alice, json: { content: wide } })).status).toBe(413);

    const list = await t.call('GET', '/api/v1/templates?size=100', { token: alice });
    expect(list.body.data.map((d: { name: string }) => d.name)).toEqual(['limits-fits']);
  });
});

describe('template inputs of a deployment request', () => {
  it(`answers 422 on template_inputs with more than ${MAX_TEMPLATE_INPUTS} keys, on create and update`, async () => {
    const inputs = Object.fromEntries(Array.from({ length: MAX_TEMPLATE_INPUTS + 1 }, (_, i) => [`in_${i}`, i]));
    const create = await t.call('POST', '/api/v1/deployments', { token: alice, json: { template_id: crypto.randomUUID(), template_inputs: inputs } });
    expect(create.status).toBe(422);
    expect(create.body.errors).toEqual([{ loc: ['json', 'template_inputs'], msg: `must hold at most ${MAX_TEMPLATE_INPUTS} inputs` }]);
    const update = await t.call('PATCH', `/api/v1/deployments/${crypto.randomUUID()}`, { token: alice, json: { template_inputs: inputs } });
    expect(update.status).toBe(422);
    expect(update.body.errors[0].loc).toEqual(['json', 'template_inputs']);
    const { in_0: _dropped, ...allowed } = inputs;
    const fits = await t.call('POST', '/api/v1/deployments', { token: alice, json: { template_id: crypto.randomUUID(), template_inputs: allowed } });
    expect(fits.status).toBe(422);
    expect(fits.body.errors.map((e: { loc: string[] }) => e.loc.join('.'))).not.toContain('json.template_inputs');
  });
});

describe('page size of the deployments and resources lists', () => {
  it('answers 422 above 100 and serves 100', async () => {
    const resources = `/api/v1/deployments/${crypto.randomUUID()}/resources`;
    for (const path of ['/api/v1/deployments', resources]) {
      const res = await t.call('GET', `${path}?size=101`, { token: alice });
      expect(res.status, path).toBe(422);
      expect(res.body.errors).toEqual([{ loc: ['query', 'size'], msg: expect.stringContaining('100') }]);
    }
    expect((await t.call('GET', '/api/v1/deployments?size=100', { token: alice })).status).toBe(200);
  });
});
