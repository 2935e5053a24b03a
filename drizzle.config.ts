import { defineConfig } from 'drizzle-kit';

const pglite = process.env.DB_DRIVER === 'pglite';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  ...(pglite
    ? { driver: 'pglite', dbCredentials: { url: process.env.DATA_DIR ?? './data/pgdata' } }
    : { dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' } }),
});
