import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { singleNodeTemplate } from '../im/templates.js';
import type { TestApp } from '../helpers/test-app.js';

/** Entities the fuzzer aims at: ids that exist, so requests reach the handlers rather than stopping at 404. */
export interface FuzzFixtures {
  tokens: { user: string; admin: string };
  /** Users, the template, the deployment and its resources; updated in place by `restore`. */
  ids: string[];
  /** Brings back what an accepted delete removed, so later requests still aim at something real. */
  restore(): Promise<void>;
}

export async function createFuzzFixtures(t: TestApp): Promise<FuzzFixtures> {
  const tokens = { user: await t.token('fuzz-user', { groups: ['users', 'physics'] }), admin: await t.token('fuzz-admin', { groups: ['admins'] }) };
  const ids: string[] = [];
  let current = { users: [] as string[], template: '', deployment: '', resources: [] as string[] };

  const exists = async (table: string, id: string) =>
    id !== '' && ((await t.database.db.execute(sql`select 1 from ${sql.identifier(table)} where id = ${id}`)) as unknown as unknown[]).length > 0;
  // Any authenticated request registers a caller an accepted delete removed; the filter finds the admin among everyone.
  const whoAmI = async (token: string, sub: string) => {
    const res = await t.call('GET', `/api/v1/users?sub=${sub}`, { token });
    expect(res.body.data).toHaveLength(1);
    return res.body.data[0].id as string;
  };

  async function restore() {
    const users = [await whoAmI(tokens.user, 'fuzz-user'), await whoAmI(tokens.admin, 'fuzz-admin')];
    let { template, deployment, resources } = current;
    if (!(await exists('deployments', deployment))) {
      if (!(await exists('templates', template))) {
        const content = `${singleNodeTemplate({ count: 2 })}# fuzz ${crypto.randomUUID()}\n`;
        const res = await t.call('POST', '/api/v1/templates', { token: tokens.user, json: { content, name: `fuzz-${crypto.randomUUID()}` } });
        expect(res.status).toBe(201);
        template = res.body.id;
      }
      const res = await t.call('POST', '/api/v1/deployments', { token: tokens.user, json: { template_id: template } });
      expect(res.status).toBe(202);
      deployment = res.body.id;
      const listed = await t.call('GET', `/api/v1/deployments/${deployment}/resources`, { token: tokens.user });
      resources = listed.body.data.map((r: { id: string }) => r.id);
      expect(resources).toHaveLength(2);
    }
    current = { users, template, deployment, resources };
    ids.splice(0, ids.length, ...users, template, deployment, ...resources);
  }

  await restore();
  return { tokens, ids, restore };
}
