import type postgres from 'postgres';
import { DEPLOYMENT_STATUS as S, deploymentStatusName, isFinal } from '../../src/domain/deployment-status.js';
import type { ChaosSimulator } from './chaos-sim.js';

/** The four numbers a chaos run must bring to zero, with one example of each for the report. */
export interface ChaosAudit {
  deployments: number;
  byStatus: Record<string, number>;
  /** Deployments not in a final state. */
  lost: number;
  /** Live infrastructures no finished deployment may own (see `allowedInfra`). */
  leaked: number;
  /** Deployments with more than one live infrastructure. */
  duplicates: number;
  /** Final states the simulator contradicts. */
  wrong: number;
  examples: string[];
}

interface DeploymentFacts {
  id: string;
  status: number;
  imInfraId: string | null;
  keepLastAttempt: boolean;
  /** The infrastructure of the highest attempt, if it got one. */
  lastAttemptInfra: string | null;
}

interface LiveInfra {
  id: string;
  state: string;
  deploymentId?: string;
}

const TAG = /PAAS_DEP_UUID['"]?:\s*['"]?([0-9a-f-]{36})/;

async function liveInfrastructures(sim: ChaosSimulator): Promise<LiveInfra[]> {
  const res = (await (await fetch(`${sim.url}/__sim/infrastructures`)).json()) as { infrastructures: Array<{ id: string; state: string }> };
  return res.infrastructures.map((i) => ({ id: i.id, state: i.state, deploymentId: TAG.exec(sim.store.infras.get(i.id)?.toscaText ?? '')?.[1] }));
}

async function deploymentFacts(sql: postgres.Sql): Promise<DeploymentFacts[]> {
  const rows = await sql<Array<{ id: string; status: number; im_infra_id: string | null; keep_last_attempt: boolean; last_attempt_infra: string | null }>>`
    select d.id, d.status, d.im_infra_id, d.keep_last_attempt,
           (select a.im_infra_id from deployment_attempts a where a.deployment_id = d.id order by a.seq desc limit 1) as last_attempt_infra
      from deployments d`;
  return rows.map((r) => ({ id: r.id, status: r.status, imInfraId: r.im_infra_id, keepLastAttempt: r.keep_last_attempt, lastAttemptInfra: r.last_attempt_infra }));
}

/** The one infrastructure a finished deployment may still own on the IM, if any. */
function allowedInfra(d: DeploymentFacts): string | null {
  if (d.status === S.CREATE_COMPLETE || d.status === S.UPDATE_COMPLETE) return d.imInfraId;
  if (d.status === S.CREATE_FAILED && d.keepLastAttempt) return d.lastAttemptInfra;
  return null;
}

/** Compares every deployment of the run's database with what the simulator holds. */
export async function auditRun(sql: postgres.Sql, sim: ChaosSimulator): Promise<ChaosAudit> {
  const [facts, live] = await Promise.all([deploymentFacts(sql), liveInfrastructures(sim)]);
  const byId = new Map(facts.map((d) => [d.id, d]));
  const liveOf = new Map<string, LiveInfra[]>();
  for (const i of live) if (i.deploymentId) liveOf.set(i.deploymentId, [...(liveOf.get(i.deploymentId) ?? []), i]);
  const examples: string[] = [];
  const note = (kind: string, text: string) => {
    if (examples.filter((e) => e.startsWith(kind)).length < 3) examples.push(`${kind}: ${text}`);
  };

  const byStatus: Record<string, number> = {};
  let lost = 0;
  let wrong = 0;
  let duplicates = 0;
  for (const d of facts) {
    const name = deploymentStatusName(d.status);
    byStatus[name] = (byStatus[name] ?? 0) + 1;
    const mine = liveOf.get(d.id) ?? [];
    if (mine.length > 1) {
      duplicates++;
      note('duplicate', `${d.id} (${name}) has ${mine.map((i) => `${i.id}=${i.state}`).join(', ')}`);
    }
    if (!isFinal(d.status)) {
      lost++;
      note('lost', `${d.id} is still ${name}`);
      continue;
    }
    const allowed = allowedInfra(d);
    if (d.status === S.CREATE_COMPLETE) {
      const infra = live.find((i) => i.id === d.imInfraId);
      if (!infra || infra.state !== 'configured') {
        wrong++;
        note('wrong', `${d.id} is CREATE_COMPLETE but its infrastructure ${d.imInfraId} is ${infra ? infra.state : 'not live'}`);
      }
    } else if (d.status === S.CREATE_FAILED && mine.some((i) => i.id !== allowed)) {
      wrong++;
      note('wrong', `${d.id} is CREATE_FAILED with live ${mine.filter((i) => i.id !== allowed).map((i) => `${i.id}=${i.state}`).join(', ')}`);
    }
  }
  let leaked = 0;
  for (const i of live) {
    const owner = i.deploymentId ? byId.get(i.deploymentId) : undefined;
    if (owner && isFinal(owner.status) && allowedInfra(owner) === i.id) continue;
    // An infrastructure of a deployment still running is not a leak yet; `lost` already counts it.
    if (owner && !isFinal(owner.status)) continue;
    leaked++;
    note('leaked', `${i.id} (${i.state}) of ${owner ? `${owner.id} ${deploymentStatusName(owner.status)}` : `unknown deployment ${i.deploymentId ?? '(untagged)'}`}`);
  }
  return { deployments: facts.length, byStatus, lost, leaked, duplicates, wrong, examples };
}

export const isClean = (a: ChaosAudit) => a.lost + a.leaked + a.duplicates + a.wrong === 0;
