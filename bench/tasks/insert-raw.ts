import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { UNIQUE_MARK } from '../lib/realistic-template.js';
import { percentile, runInFlight } from '../lib/stats.js';
import { taskMain } from '../lib/task-main.js';

export interface InsertRawArgs {
  databaseUrl: string;
  poolMax: number;
  inFlight: number;
  warmupSec: number;
  durationSec: number;
  content: string;
}

export interface InsertRawResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  rows: number;
}

/** Roughly what a parsed template's summary weighs. */
const SUMMARY = {
  inputs: Object.fromEntries(
    ['mesos_password', 'marathon_password', 'slave_num', 'slave_cpus', 'slave_mem', 'master_cpus', 'master_mem'].map((n) => [
      n,
      { type: n.endsWith('password') ? 'string' : 'integer', required: n.endsWith('password'), secret: n.endsWith('password') },
    ]),
  ),
  resources: ['mesos_master', 'mesos_slave', 'mesos_lb', 'master_server', 'slave_server', 'lb_server'].map((name) => ({
    name,
    type: name.endsWith('server') ? 'tosca.nodes.indigo.Compute' : `tosca.nodes.indigo.MesosNode`,
    count: 1,
  })),
  outputs: ['mesos_endpoint', 'marathon_endpoint', 'chronos_endpoint'],
};

await taskMain<InsertRawArgs, InsertRawResult>(async (a) => {
  const sql = postgres(a.databaseUrl, { max: a.poolMax, onnotice: () => {} });
  const runId = crypto.randomUUID().slice(0, 8);
  const insert = (tag: string) => {
    const content = a.content.replace(UNIQUE_MARK, `${runId}-${tag}`);
    const checksum = createHash('sha256').update(content).digest('hex');
    return sql`
      insert into templates (content, checksum, name, tosca_definition_version, summary)
      values (${content}, ${checksum}, ${`bench ${tag}`}, 'tosca_simple_yaml_1_0', ${sql.json(SUMMARY)})
      returning id`;
  };
  try {
    if (a.warmupSec > 0) await runInFlight(a.inFlight, a.warmupSec * 1000, (seq) => insert(`w${seq}`));
    const r = await runInFlight(a.inFlight, a.durationSec * 1000, (seq) => insert(`m${seq}`));
    return { rps: (r.count / r.elapsedMs) * 1000, p50Ms: percentile(r.latenciesMs, 50), p99Ms: percentile(r.latenciesMs, 99), rows: r.count };
  } finally {
    await sql.end({ timeout: 5 });
  }
});
