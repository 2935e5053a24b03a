import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** Either driver (postgres.js or PGlite): repositories never care which. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
