import { expect } from 'vitest';
import { singleNodeTemplate } from '../im/templates.js';
import type { DeploymentRig } from '../e2e/deployments.helpers.js';

export const LEGACY_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d\+0000$/;
export const JSON_UTF8 = 'application/json;charset=UTF-8';
export const TEXT_UTF8 = 'text/plain;charset=UTF-8';

export interface LegacyCall {
  token?: string;
  /** The scheme word as the client spells it ("Bearer", "bearer"). */
  scheme?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export interface LegacyResult {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** A raw request to the legacy surface: the path is taken verbatim (a full URL is fetched as is). */
export async function legacy(rig: DeploymentRig, method: string, path: string, o: LegacyCall = {}): Promise<LegacyResult> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `${o.scheme ?? 'Bearer'} ${o.token}`;
  let body = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] ??= 'application/json';
  }
  const url = path.startsWith('http') ? path : `${rig.app.url}${path}`;
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** No property anywhere in the document is `null` (Jackson NON_NULL). */
export function expectNoNulls(value: unknown, where = '$'): void {
  if (value === null) throw new Error(`null at ${where}`);
  if (Array.isArray(value)) value.forEach((v, i) => expectNoNulls(v, `${where}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectNoNulls(v, `${where}.${k}`);
}

export function expectLegacyError(res: LegacyResult, status: number, title: string, message?: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe(JSON_UTF8);
  expect(res.body).toMatchObject({ code: status, title });
  expect(typeof res.body.message).toBe('string');
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else if (message) expect(res.body.message).toMatch(message);
}

export const rels = (links: Array<{ rel: string }>) => links.map((l) => l.rel);
export const href = (links: Array<{ rel: string; href: string }>, rel: string) => links.find((l) => l.rel === rel)?.href;

export const TEMPLATE = singleNodeTemplate();

/** The dashboard's create body (D3): strings for booleans and numbers, an explicit null callback. */
export function dashboardCreateBody(o: { template?: string; userGroup?: string; callback?: string | null; parameters?: Record<string, unknown> } = {}) {
  return {
    template: o.template ?? TEMPLATE,
    parameters: o.parameters ?? {},
    ...(o.userGroup ? { userGroup: o.userGroup } : {}),
    keepLastAttempt: 'false',
    providerTimeoutMins: 720,
    timeoutMins: '720',
    callback: o.callback ?? null,
  };
}

/** orchent's create body (C6): keepLastAttempt as the string "true", null parameters allowed. */
export function orchentCreateBody(o: { template?: string; parameters?: Record<string, unknown> | null; maxProvidersRetry?: number } = {}) {
  return {
    template: o.template ?? TEMPLATE,
    parameters: o.parameters === undefined ? null : o.parameters,
    keepLastAttempt: 'true',
    ...(o.maxProvidersRetry ? { maxProvidersRetry: o.maxProvidersRetry } : {}),
  };
}

/** orchent sends these on every call (C2); Content-Type only with a body. */
export function orchentHeaders(withBody: boolean): Record<string, string> {
  return { accept: 'application/json', 'user-agent': 'Orchent', ...(withBody ? { 'content-type': 'application/json' } : {}) };
}

export async function legacyCreate(rig: DeploymentRig, token: string, body: Record<string, unknown> = dashboardCreateBody()): Promise<any> {
  const res = await legacy(rig, 'POST', '/deployments/', { token, scheme: 'bearer', json: body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Polls the legacy GET until the status is one of `statuses`. */
export async function waitLegacyStatus(rig: DeploymentRig, token: string, id: string, statuses: string[], timeoutMs = 20_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await legacy(rig, 'GET', `/deployments/${id}`, { token });
    if (statuses.includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`deployment ${id} stayed ${res.body.status}: ${res.body.statusReason}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
