import postgres from 'postgres';
import { DEPLOYMENT_STATUS } from '../../src/domain/deployment-status.js';
import type { BenchContext } from './context.js';
import { productApi } from './product-api.js';

export interface SeededDeployments {
  count: number;
  /** The owners' user rows, registered under the dev issuer so their tokens map onto them. */
  owners: Array<{ id: string; sub: string }>;
}

export const DEPLOYMENT_OWNERS = 10;

const STATUSES = [DEPLOYMENT_STATUS.CREATE_COMPLETE, DEPLOYMENT_STATUS.CREATE_FAILED, DEPLOYMENT_STATUS.DELETE_COMPLETE, DEPLOYMENT_STATUS.UPDATE_COMPLETE];

/**
 * Loads `sizes.deployments` deployments by SQL (generate_series, not through the API), spread
 * round-robin over a fixed set of owners, each with its deployment_owners row. Once per run.
 */
export function seededDeployments(ctx: BenchContext): Promise<SeededDeployments> {
  return ctx.once('seeded-deployments', async () => {
    const { issuer } = await productApi(ctx);
    const n = ctx.sizes.deployments;
    const sql = postgres(ctx.database.url, { max: 1, onnotice: () => {} });
    try {
      const owners = await sql<{ id: string; sub: string }[]>`
        insert into users (issuer, sub, name, username, email, created_at, updated_at)
        select ${issuer}, 'owner-' || g, 'Owner ' || g, 'owner' || g, 'owner' || g || '@bench.example.org', now() - interval '400 days', now()
        from generate_series(1, ${DEPLOYMENT_OWNERS}::int) g
        returning id, sub`;
      owners.sort((a, b) => a.sub.localeCompare(b.sub, 'en', { numeric: true }));
      const ids = owners.map((o) => o.id);
      ctx.log(`loading ${n} deployments …`);
      const started = performance.now();
      await sql`set maintenance_work_mem = '256MB'`;
      await sql`
        insert into deployments (id, template_inputs, secret_inputs, template_outputs, user_group, max_providers,
          per_provider_max_retries, per_provider_timeout_mins, tot_timeout_mins, target_provider, target_region,
          target_iaas_project, im_infra_id, status, task, created_at, created_by, updated_at, updated_by)
        select gen_random_uuid(),
               jsonb_build_object('vm_count', 1 + g % 4, 'admin_password', 'secret-' || g), '{admin_password}',
               jsonb_build_object('node_ip', '10.0.' || (g % 250) || '.' || (g % 200)),
               'users', null, 3, 1440, 14400,
               (array['sim-openstack','sim-backup','sim-third'])[1 + g % 3], 'RegionOne', 'dev-project',
               'infra-' || g, (${STATUSES}::int[])[1 + g % ${STATUSES.length}::int], 0,
               now() - make_interval(secs => g), (${ids}::uuid[])[1 + g % ${DEPLOYMENT_OWNERS}::int],
               now() - make_interval(secs => g), (${ids}::uuid[])[1 + g % ${DEPLOYMENT_OWNERS}::int]
        from generate_series(1, ${n}::int) g`;
      await sql`
        insert into deployment_owners (deployment_id, user_id, deployment_created_at, created_at)
        select id, created_by, created_at, created_at from deployments where created_by = any(${ids}::uuid[])`;
      // Vacuum now, so autovacuum does not wake up over the fresh rows in the middle of a measurement.
      await sql`vacuum analyze deployments, deployment_owners`;
      ctx.log(`loaded ${n} deployments in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return { count: n, owners };
    } finally {
      await sql.end();
    }
  });
}
