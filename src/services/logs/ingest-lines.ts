import type { Database } from '../../db/database.js';
import { claimLogRoom, insertLogLines, type LogLine } from '../../db/logs-repo.js';
import { planAppend, truncationMarker } from '../../domain/log-cap.js';
import { redactLogText, secretValuesOf } from './redact-log.js';

export type IngestOutcome = { stored: number; dropped: number; truncated: boolean } | { gone: true };

/**
 * Stores a batch of orchestrator lines, redacted, within the deployment's line cap: room is claimed
 * first (atomically, so concurrent batches keep the cap and its single marker), then the lines go in.
 * Two statements, no transaction: a batch whose insert fails is retried and claims again, so the
 * cap errs towards fewer lines, never more. `onStored` hears the lines as stored.
 */
export async function ingestLines(
  db: Database,
  deploymentId: string,
  lines: Array<{ ts: string; line: string }>,
  cap: number,
  onStored?: (stored: LogLine[]) => Promise<void>,
): Promise<IngestOutcome> {
  const claim = await claimLogRoom(db, deploymentId, lines.length, cap);
  if (!claim) return { gone: true };
  const plan = planAppend(claim.before, lines.length, cap);
  const secrets = secretValuesOf(claim.templateInputs, claim.secretInputs);
  const kept: LogLine[] = lines.slice(0, plan.keep).map((l) => ({ ts: stamp(l.ts), line: redactLogText(l.line, secrets) }));
  if (plan.marker) kept.push({ ts: kept.at(-1)?.ts ?? stamp(lines[0].ts), line: truncationMarker(cap) });
  await insertLogLines(db, deploymentId, 'orchestrator', kept);
  if (kept.length && onStored) await onStored(kept);
  return { stored: plan.keep, dropped: lines.length - plan.keep, truncated: plan.marker };
}

/** A producer's stamp; a malformed one becomes now rather than failing the batch. */
function stamp(ts: string): Date {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}
