import postgres from 'postgres';
import type { BenchContext } from './context.js';

export interface SeededUsers {
  count: number;
  /** A seeded user with every profile column set, for single-row reads. */
  sampleId: string;
}

/** Loads `sizes.users` users in one INSERT … SELECT (not through the API), once per run. */
export function seededUsers(ctx: BenchContext): Promise<SeededUsers> {
  return ctx.once('seeded-users', async () => {
    const n = ctx.sizes.users;
    const sql = postgres(ctx.database.url, { max: 1, onnotice: () => {} });
    try {
      await sql`
        insert into users (issuer, sub, name, username, email, public_ssh_key, created_at, updated_at)
        select 'https://iam.bench.example.org/', 'user-' || g, 'Bench User ' || g, 'user' || g,
               'user' || g || '@bench.example.org', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench' || g || ' user' || g,
               now() - make_interval(secs => g), now() - make_interval(secs => g)
        from generate_series(1, ${n}::int) g`;
      await sql`vacuum analyze users`;
      const [row] = await sql<{ id: string }[]>`select id from users where sub = ${`user-${Math.ceil(n / 2)}`}`;
      return { count: n, sampleId: row.id };
    } finally {
      await sql.end();
    }
  });
}
