import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '../../src/db/database.js';
import * as schema from '../../src/db/schema.js';
import type { CapturedQuery } from './list-users-sql.js';

/** Statements sent together (Promise.all) form one stage; stages run one after the other. */
export type CapturedStages = CapturedQuery[][];

/**
 * Runs `fn` against a logging drizzle database and records the SQL it sends, grouped into stages:
 * statements issued in the same macrotask were in flight together.
 */
export async function captureStages(databaseUrl: string, fn: (db: Database) => Promise<unknown>): Promise<CapturedStages> {
  const stages: CapturedStages = [];
  let open: CapturedQuery[] | undefined;
  const client = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  try {
    const db = drizzle(client, {
      schema,
      logger: {
        logQuery(text, params) {
          if (!open) {
            open = [];
            stages.push(open);
            setImmediate(() => (open = undefined));
          }
          open.push({ text, params });
        },
      },
    }) as unknown as Database;
    await fn(db);
  } finally {
    await client.end();
  }
  return stages;
}
