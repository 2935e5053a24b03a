import { attemptsOf, findDeployment, type DeploymentRow } from '../../db/deployments-repo.js';
import { replaceImLog } from '../../db/logs-repo.js';
import { isImError, type ImCallContext } from '../../im/index.js';
import { imContext, providerNamed } from '../deployments/im-context.js';
import type { Services } from '../services.js';
import { redactLogText, secretValuesOf } from './redact-log.js';

/** The IM log kept per deployment: its newest part, so a runaway contextualization cannot fill the table. */
export const IM_LOG_MAX_CHARS = 1_000_000;

export type SnapshotOutcome = 'stored' | 'no-infrastructure' | 'infrastructure-gone';

function keepTail(text: string): string {
  if (text.length <= IM_LOG_MAX_CHARS) return text;
  return `[IM log truncated: only its last ${IM_LOG_MAX_CHARS} characters are kept]\n${text.slice(-IM_LOG_MAX_CHARS)}`;
}

/** Fetches the IM contextualization log of an infrastructure and stores it redacted as the deployment's IM log. */
export async function captureImLog(s: Services, row: DeploymentRow, ctx: ImCallContext, infId: string): Promise<SnapshotOutcome> {
  let text: string;
  try {
    text = await s.im.getContmsg(ctx, infId);
  } catch (err) {
    if (isImError(err) && err.kind === 'not_found') return 'infrastructure-gone';
    throw err;
  }
  const redacted = redactLogText(text, secretValuesOf(row.templateInputs, row.secretInputs));
  await replaceImLog(s.db, row.id, { ts: s.now(), line: keepTail(redacted) });
  return 'stored';
}

/** The `im-snapshot` job: the IM log of the deployment's current infrastructure, on the provider it runs on. */
export async function snapshotImLog(s: Services, deploymentId: string): Promise<SnapshotOutcome> {
  const row = await findDeployment(s.db, deploymentId);
  if (!row?.imInfraId) return 'no-infrastructure';
  const attempt = (await attemptsOf(s.db, deploymentId)).find((a) => a.imInfraId === row.imInfraId);
  const provider = providerNamed(s, attempt?.provider ?? row.targetProvider);
  if (!provider) return 'no-infrastructure';
  const ctx = await imContext(s, row, provider, attempt ? attempt.project : row.targetIaasProject);
  return captureImLog(s, row, ctx, row.imInfraId);
}
