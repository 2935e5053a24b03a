import type { Database } from '../../db/database.js';
import { insertLogLines, lockLogCounter, setLogCounter, type LogLine } from '../../db/logs-repo.js';
import { planAppend, truncationMarker } from '../../domain/log-cap.js';
import { redactLogText, secretValuesOf } from './redact-log.js';

export type IngestOutcome = { stored: number; dropped: number; truncated: boolean } | { gone: true };

/**
 * Stores a batch of orchestrator lines, redacted, within the deployment's line cap; the row lock on
 * the deployment serialises concurrent batches so the cap and its single marker hold.
 */
export async function ingestLines(db: Database, deploymentId: string, lines: Array<{ ts: string; line: string }>, cap: number): Promise<IngestOutcome> {
  return db.transaction(async (tx) => {
    const counter = await lockLogCounter(tx, deploymentId);
    if (!counter) return { gone: true };
    const plan = planAppend(counter.logLines, lines.length, cap);
    const secrets = secretValuesOf(counter.templateInputs, counter.secretInputs);
    const kept: LogLine[] = lines.slice(0, plan.keep).map((l) => ({ ts: stamp(l.ts), line: redactLogText(l.line, secrets) }));
    if (plan.marker) kept.push({ ts: kept.at(-1)?.ts ?? stamp(lines[0].ts), line: truncationMarker(cap) });
    await insertLogLines(tx, deploymentId, 'orchestrator', kept);
    if (plan.stored !== counter.logLines) await setLogCounter(tx, deploymentId, plan.stored);
    return { stored: plan.keep, dropped: lines.length - plan.keep, truncated: plan.marker };
  });
}

/** A producer's stamp; a malformed one becomes now rather than failing the batch. */
function stamp(ts: string): Date {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}
