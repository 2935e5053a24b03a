import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { authedRoute } from '../../http/authed-route.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { IdParam, pickErrors } from '../../http/openapi-responses.js';
import { assertKnownQueryParams } from '../../http/pagination.js';
import type { Caller } from '../../services/deployments/access.js';
import { EVENT_ID_PATTERN } from '../../services/events/deployment-events.js';
import { followDeployment, followDeployments, type EventStream, type FeedItem } from '../../services/events/follow-events.js';
import { loggableError } from '../../services/loggable-error.js';

const eventId = z.string().regex(EVENT_ID_PATTERN, { error: 'must be an event id as sent in `id:` (e.g. 1700000000000-0)' });
const ResumeHeaders = z.object({ 'last-event-id': eventId.optional() });
export const DeploymentEventsQuery = z.object({
  last_event_id: eventId.optional().openapi({ description: 'Resume after this event (for clients that cannot send Last-Event-ID)' }),
});
export const EventsQuery = DeploymentEventsQuery.extend({
  owned_by: z.union([z.uuid(), z.literal('me')], { error: 'must be a user id or "me"' }).optional().openapi({ description: 'Whose deployments; admins may leave it out to hear every deployment' }),
});

const stream = (description: string) => ({
  description,
  content: { 'text/event-stream': { schema: z.string().openapi({ description: 'Server-Sent Events' }) } },
});
const EVENTS_DOC =
  'Events `status` ({id, status, status_name, task, task_name, status_reason, at, version}) and `log` ({id, lines: [{ts, line}], more}), each with an `id:` to resume after ' +
  '(Last-Event-ID or `last_event_id`), and `: ping` comments while idle. The stream ends with an `expired` event when the access token expires.';

const tags = ['Deployments'];
const deploymentEventsRoute = authedRoute({
  method: 'get',
  path: '/deployments/{id}/events',
  tags,
  operationId: 'followDeploymentEvents',
  summary: 'Follow a deployment: its current status, then every status/task change and new log lines',
  description: `${EVENTS_DOC} A resume from an id no longer kept starts again with the current status.`,
  request: { params: IdParam, query: DeploymentEventsQuery, headers: ResumeHeaders },
  responses: { 200: stream('The event stream'), ...pickErrors(401, 403, 404, 422, 500, 503) },
});
const eventsRoute = authedRoute({
  method: 'get',
  path: '/events',
  tags,
  operationId: 'followEvents',
  summary: 'Follow every deployment you own (all of them for admins)',
  description: `${EVENTS_DOC} First a \`ready\` event; \`resync\` instead when the id resumed from is no longer kept (re-list the deployments).`,
  request: { query: EventsQuery, headers: ResumeHeaders },
  responses: { 200: stream('The event stream'), ...pickErrors(401, 403, 422, 500, 503) },
});

const caller = (c: Context<AppEnv>): Caller => ({ identity: c.get('identity'), userId: c.get('userId') });

async function write(sse: SSEStreamingApi, item: FeedItem): Promise<void> {
  switch (item.kind) {
    case 'event':
      return sse.writeSSE({ event: item.event.type, id: item.event.id, data: JSON.stringify(item.event.data) });
    case 'status':
      return sse.writeSSE({ event: 'status', id: item.id, data: JSON.stringify(item.data) });
    case 'ready':
      return sse.writeSSE({ event: 'ready', id: item.id, data: '{}' });
    case 'resync':
      return sse.writeSSE({ event: 'resync', id: item.id, data: JSON.stringify({ detail: 'Events after the given id are no longer kept: re-read the deployments' }) });
    case 'ping':
      await sse.write(': ping\n\n');
  }
}

/** The longest delay a timer takes (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Ends the stream when the caller's token expires, so a stream is never a way to keep reading
 * after the credentials that opened it have lapsed.
 */
function endAtExpiry(expiresAtSec: number | undefined, end: () => void): () => void {
  if (expiresAtSec === undefined) return () => {};
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const left = expiresAtSec * 1000 - Date.now();
    if (left <= 0) return end();
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
}

/** Pumps the stream until the client leaves, the caller's token expires or the server closes the feed. */
function serve(c: Context<AppEnv>, events: EventStream): Response {
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (sse) => {
    sse.onAbort(() => events.close());
    let expired = false;
    const disarm = endAtExpiry(c.get('identity').expiresAt, () => {
      expired = true;
      events.close();
    });
    try {
      await sse.write(': connected\n\n');
      for await (const item of events.items) {
        if (sse.aborted || expired) break;
        await write(sse, item);
      }
      if (expired && !sse.aborted) {
        await sse.writeSSE({ event: 'expired', data: JSON.stringify({ detail: 'The access token expired: reconnect with a fresh one and Last-Event-ID' }) });
      }
    } catch (err) {
      c.get('deps').logger.warn({ err: loggableError(err), requestId: c.get('requestId') }, 'event stream ended by an error');
    } finally {
      disarm();
      events.close();
    }
  });
}

const resumeFrom = (c: Context<AppEnv>, q: { last_event_id?: string }, h: { 'last-event-id'?: string }) => h['last-event-id'] ?? q.last_event_id;

export const eventsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(deploymentEventsRoute, async (c) => {
    assertKnownQueryParams(c.req.url, DeploymentEventsQuery);
    const deps = c.get('deps');
    const events = await followDeployment(deps, caller(c), c.req.valid('param').id, {
      lastEventId: resumeFrom(c, c.req.valid('query'), c.req.valid('header')),
      heartbeatMs: deps.settings.eventsHeartbeatMs,
    });
    return serve(c, events);
  })
  .openapi(eventsRoute, async (c) => {
    assertKnownQueryParams(c.req.url, EventsQuery);
    const deps = c.get('deps');
    const q = c.req.valid('query');
    const events = await followDeployments(deps, caller(c), {
      ownedBy: q.owned_by?.toLowerCase(),
      lastEventId: resumeFrom(c, q, c.req.valid('header')),
      heartbeatMs: deps.settings.eventsHeartbeatMs,
    });
    return serve(c, events);
  });
