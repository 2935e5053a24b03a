import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../app-deps.js';
import type { Config } from '../config.js';
import { v1ErrorBody } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import { ForbiddenError } from '../services/errors.js';
import type { QueueCatalogue } from './queues.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'orch_queue_board';
const DEFAULT_SESSION_TTL_MS = 15 * 60_000;
const REALM = 'Basic realm="Orchestrator queue board", charset="UTF-8"';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who may open the board: operators with the Basic credentials, admins by bearer token or by a session cookie. */
export interface QueueBoardAccess {
  user: string;
  password: string;
  /** Signs session cookies: every API replica derives the same one from SECRET_KEY. */
  sessionKey: Buffer;
  /** True when all-in-one mode made the credentials up (nothing was configured). */
  generated: boolean;
  sessionTtlMs?: number;
  now?: () => number;
}

export interface QueueBoardSession {
  sub: string;
  /** Only admins get a session; a session without it is refused with 403. */
  adm: boolean;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

function derive(secretKey: string, purpose: string): Buffer {
  return createHmac('sha256', secretKey).update(`queue-board:${purpose}`).digest();
}

/**
 * The board's access from BULL_BOARD_USER / BULL_BOARD_PASSWORD. Without them the board is off (one log line),
 * except in all-in-one mode, which makes up a password derived from the secret key (stable across restarts).
 */
export function resolveQueueBoardAccess(config: Config, secretKey: string, logger: Logger): QueueBoardAccess | undefined {
  const sessionKey = derive(secretKey, 'session');
  const { user, password } = config.queueBoard;
  if (user && password) return { user, password, sessionKey, generated: false };
  if (config.mode === 'all-in-one') {
    return { user: 'admin', password: derive(secretKey, 'dev-password').toString('base64url').slice(0, 20), sessionKey, generated: true };
  }
  logger.info({ path: QUEUE_BOARD_PATH }, 'queue board is off: set BULL_BOARD_USER and BULL_BOARD_PASSWORD to open it');
  return undefined;
}

/** Writes and reads signed session cookie values (`<payload>.<hmac>`, both base64url). */
export function queueBoardSessions(sessionKey: Buffer) {
  const mac = (body: string) => createHmac('sha256', sessionKey).update(body).digest();
  return {
    write(session: QueueBoardSession): string {
      const body = Buffer.from(JSON.stringify(session)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    read(value: string, now: number): QueueBoardSession | undefined {
      const [body, sig, extra] = value.split('.');
      if (!body || !sig || extra !== undefined) return undefined;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as QueueBoardSession;
        return typeof s.exp === 'number' && s.exp > now && typeof s.sub === 'string' ? s : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Equal-length digests, so the comparison takes the same time whatever the input. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

function basicMatches(authorization: string, access: QueueBoardAccess): boolean {
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared every time: no early exit tells a right user from a wrong one.
  const userOk = sameSecret(decoded.slice(0, colon), access.user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), access.password);
  return userOk && passwordOk;
}

function challenge(c: Context, detail: string): Response {
  c.header('WWW-Authenticate', REALM);
  c.header('Cache-Control', 'no-store');
  return c.json(v1ErrorBody(401, `${detail}. Sign in with the queue board user and password, or with an admin token at ${QUEUE_BOARD_PATH}/login`), 401);
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

const LOGIN_SCRIPT = `document.querySelector('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = document.querySelector('textarea').value.trim().replace(/^Bearer\\s+/i, '');
  const res = await fetch('${QUEUE_BOARD_PATH}/session', { method: 'POST', headers: { authorization: 'Bearer ' + token } });
  if (res.ok) location.href = '${QUEUE_BOARD_PATH}';
  else document.querySelector('output').textContent = (await res.json().catch(() => ({}))).detail || 'HTTP ' + res.status;
});`;
const LOGIN_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Queue board sign-in</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Queue board</h1><p>Paste an admin access token to open a ${DEFAULT_SESSION_TTL_MS / 60_000}-minute session.</p>
<form><textarea rows="6" style="width:100%" required></textarea><p><button>Open the board</button> <output></output></p></form>
<script>${LOGIN_SCRIPT}</script></body></html>`;
const LOGIN_CSP = `default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(LOGIN_SCRIPT).digest('base64')}'; form-action 'none'; frame-ancestors 'none'`;

/**
 * Bull Board for operators, on the four queues. Every request under the path (HTML, assets and the board's own
 * JSON API, so retry/clean/promote too) passes one gate: HTTP Basic with the configured credentials, an admin
 * bearer token, or the signed HttpOnly SameSite=Strict cookie that POST /admin/queues/session gives an admin
 * token. Unsafe methods from another site are refused, so cached Basic credentials cannot be replayed cross-site.
 */
export function mountQueueBoard(app: OpenAPIHono<AppEnv>, queues: QueueCatalogue, access: QueueBoardAccess): void {
  const board = new HonoAdapter(serveStatic);
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  board.setBasePath(QUEUE_BOARD_PATH);
  const sessions = queueBoardSessions(access.sessionKey);
  const ttlMs = access.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = access.now ?? Date.now;
  const cookieOptions = (c: Context) => ({ path: QUEUE_BOARD_PATH, httpOnly: true, sameSite: 'Strict' as const, secure: isHttps(c) });

  app.get(`${QUEUE_BOARD_PATH}/login`, (c) => {
    c.header('Content-Security-Policy', LOGIN_CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(LOGIN_PAGE);
  });
  app.post(`${QUEUE_BOARD_PATH}/session`, async (c) => {
    const identity = await c.get('deps').auth.verify(c.req.header('authorization'));
    if (!identity.isAdmin) throw new ForbiddenError('The queue dashboard is for admins');
    const exp = now() + ttlMs;
    setCookie(c, QUEUE_BOARD_COOKIE, sessions.write({ sub: identity.sub, adm: true, exp }), { ...cookieOptions(c), maxAge: Math.floor(ttlMs / 1000) });
    c.header('Cache-Control', 'no-store');
    return c.json({ expires_at: new Date(exp).toISOString() }, 201);
  });
  app.delete(`${QUEUE_BOARD_PATH}/session`, (c) => {
    deleteCookie(c, QUEUE_BOARD_COOKIE, cookieOptions(c));
    return c.body(null, 204);
  });

  const gate = createMiddleware<AppEnv>(async (c, next) => {
    const site = c.req.header('sec-fetch-site');
    if (!SAFE_METHODS.has(c.req.method) && site && site !== 'same-origin' && site !== 'none') {
      return c.json(v1ErrorBody(403, 'The queue board refuses changes requested from another site'), 403);
    }
    const authorization = c.req.header('authorization');
    if (authorization && /^basic /i.test(authorization)) {
      return basicMatches(authorization, access) ? next() : challenge(c, 'Wrong queue board user or password');
    }
    if (authorization) {
      const identity = await c.get('deps').auth.verify(authorization);
      if (!identity.isAdmin) throw new ForbiddenError('The queue dashboard is for admins');
      return next();
    }
    const cookie = getCookie(c, QUEUE_BOARD_COOKIE);
    if (cookie !== undefined) {
      const session = sessions.read(cookie, now());
      if (!session) {
        deleteCookie(c, QUEUE_BOARD_COOKIE, cookieOptions(c));
        return challenge(c, 'The queue board session is invalid or expired');
      }
      if (!session.adm) throw new ForbiddenError('The queue dashboard is for admins');
      return next();
    }
    return challenge(c, 'The queue board needs credentials');
  });
  app.use(QUEUE_BOARD_PATH, gate);
  app.use(`${QUEUE_BOARD_PATH}/*`, gate);
  app.route(QUEUE_BOARD_PATH, board.registerPlugin());
}
