import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '../../src/db/database.js';
import * as schema from '../../src/db/schema.js';
import { listUsers } from '../../src/db/users-repo.js';

export interface CapturedQuery {
  text: string;
  params: unknown[];
}

/** The page size the list endpoint uses when the client gives none. */
export const DEFAULT_PAGE_SIZE = 10;

/**
 * Records the SQL the repository sends for page 1 of the admin user list (default sort
 * -created_at), so the raw endpoint runs exactly the same statements.
 */
export async function captureListUsersSql(databaseUrl: string): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle(client, {
      schema,
      logger: { logQuery: (text, params) => void captured.push({ text, params }) },
    }) as unknown as Database;
    await listUsers(db, {}, { limit: DEFAULT_PAGE_SIZE, offset: 0, sort: { field: 'created_at', direction: 'desc' } });
  } finally {
    await client.end();
  }
  return captured;
}
