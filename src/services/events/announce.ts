import { loggableError } from '../loggable-error.js';
import type { Services } from '../services.js';
import { statusEventOf, type DeploymentEvent, type LogEventLine } from './deployment-events.js';

/** A `log` event stays small: the rest of a big batch is read with GET …/logs. */
const LOG_EVENT_CHARS = 32_768;

type Announcer = Pick<Services, 'events' | 'logger'>;

async function announce(s: Announcer, event: DeploymentEvent): Promise<void> {
  try {
    await s.events.publish(event);
  } catch (err) {
    s.logger.warn({ err: loggableError(err), deploymentId: event.deploymentId, type: event.type }, 'deployment event not published');
  }
}

/** Tells followers the deployment's status or task changed; never fails the caller. */
export function announceStatus(s: Announcer, row: Parameters<typeof statusEventOf>[0]): Promise<void> {
  return announce(s, statusEventOf(row));
}

/** Tells followers about orchestrator lines just stored (already redacted); never fails the caller. */
export function announceLogLines(s: Announcer, deploymentId: string, lines: Array<{ ts: Date; line: string }>): Promise<void> {
  if (!lines.length) return Promise.resolve();
  const kept: LogEventLine[] = [];
  let budget = LOG_EVENT_CHARS;
  for (const l of lines) {
    if (l.line.length > budget && kept.length) break;
    const line = l.line.slice(0, budget);
    kept.push({ ts: l.ts.toISOString(), line });
    budget -= line.length;
    if (budget <= 0) break;
  }
  return announce(s, { type: 'log', deploymentId, data: { id: deploymentId, lines: kept, more: lines.length - kept.length } });
}
