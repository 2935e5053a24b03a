import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { percentile, runInFlight } from '../lib/stats.js';
import { taskMain } from '../lib/task-main.js';

export interface InsertEnqueueRawArgs {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  poolMax: number;
  inFlight: number;
  warmupSec: number;
  durationSec: number;
  templateContent: string;
}

export interface InsertEnqueueRawResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  rows: number;
}

/** About what an AES-GCM sealed access token weighs. */
const SEALED_TOKEN = 'v1.' + 'A'.repeat(880);

await taskMain<InsertEnqueueRawArgs, InsertEnqueueRawResult>(async (a) => {
  const sql = postgres(a.databaseUrl, { max: a.poolMax, onnotice: () => {} });
  const connection = new Redis(a.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw-insert-enqueue', { connection: connection as unknown as ConnectionOptions, prefix: a.prefix });
  const runId = crypto.randomUUID();
  const [user] = await sql<{ id: string }[]>`
    insert into users (issuer, sub, name) values ('https://raw.bench.example.org/', ${runId}, 'raw bench') returning id`;
  const [template] = await sql<{ id: string }[]>`
    insert into templates (content, checksum, name, tosca_definition_version, summary, created_by)
    values (${a.templateContent}, ${createHash('sha256').update(runId).digest('hex')}, 'raw bench', 'tosca_simple_yaml_1_0', '{}'::jsonb, ${user.id})
    returning id`;
  const inputs = sql.json({ vm_count: 1, admin_password: 'bench-secret' });

  // One statement: the deployment, its owner and its resource; then the id-only job.
  const insertAndEnqueue = async () => {
    const id = crypto.randomUUID();
    await sql`
      with d as (
        insert into deployments (id, template_id, template_content, template_inputs, secret_inputs, user_group,
          per_provider_max_retries, per_provider_timeout_mins, tot_timeout_mins, status, op_seq, deadline_at,
          access_token_encrypted, created_at, created_by, updated_by)
        values (${id}, ${template.id}, ${a.templateContent}, ${inputs}, ${['admin_password']}, 'users',
          3, 1440, 14400, 2, 1, now() + interval '10 days', ${SEALED_TOKEN}, now(), ${user.id}, ${user.id})
        returning id, created_at),
      o as (insert into deployment_owners (deployment_id, user_id, deployment_created_at) select id, ${user.id}, created_at from d)
      insert into resources (deployment_id, tosca_node_name, tosca_node_type, type_ancestry, status)
      select id, 'server', 'tosca.nodes.indigo.Compute', ${['tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root']}, 7 from d`;
    await queue.add('create', { v: 1, deploymentId: id, opSeq: 1 }, { jobId: `${id}.1`, attempts: 8 });
  };
  try {
    if (a.warmupSec > 0) await runInFlight(a.inFlight, a.warmupSec * 1000, insertAndEnqueue);
    const r = await runInFlight(a.inFlight, a.durationSec * 1000, insertAndEnqueue);
    return { rps: (r.count / r.elapsedMs) * 1000, p50Ms: percentile(r.latenciesMs, 50), p99Ms: percentile(r.latenciesMs, 99), rows: r.count };
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
    await sql`delete from deployments where created_by = ${user.id}`;
    await sql`delete from templates where id = ${template.id}`;
    await sql`delete from users where id = ${user.id}`;
    await sql.end({ timeout: 5 });
  }
});
