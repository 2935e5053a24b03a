import type { Context } from 'hono';
import type { AuthLine } from '../auth-parse.js';
import type { SimEnv } from './env.js';
import { infraTime, isDeleted, type SimInfra } from './model.js';
import { parseScenario, ScenarioError, type Scenario } from './scenario.js';
import { authenticate, cloudCredentialsValid, cloudSecret, TOKEN_EXPIRED, type SimIdentity } from './sim-auth.js';
import { imError } from './wire.js';

export interface InfraRequest {
  infra: SimInfra;
  identity: SimIdentity;
  /** Simulator time as this infrastructure sees it. */
  t: number;
}

const INVALID_INFRA = 'Invalid infrastructure ID or access not granted.';

export function fail(c: Context, status: number, op: string, detail: string): Response {
  return imError(c, status, `Error ${op}: ${detail}`);
}

function authEnv(env: SimEnv) {
  return { nowMs: env.simNow(), store: env.store, acceptedIssuers: env.acceptedIssuers, users: env.users };
}

/** Authenticates a top-level route (create, list, clouds): bad IM credentials → 401. */
export function authTop(c: Context, env: SimEnv, op: string): SimIdentity | Response {
  const outcome = authenticate(c.req.header('authorization'), authEnv(env));
  if (outcome.ok) return outcome.identity;
  if (outcome.kind === 'missing') return imError(c, 401, outcome.message);
  return fail(c, outcome.kind === 'decode' ? 400 : 401, op, outcome.message);
}

/**
 * Runs a per-infrastructure route after the IM's checks, in its order: auth (bad IM credentials → 400
 * here), existence (404), ownership (403), then the infrastructure's scenario faults.
 */
export async function withInfra(
  c: Context,
  env: SimEnv,
  op: string,
  fn: (req: InfraRequest) => Response | Promise<Response>,
): Promise<Response> {
  const outcome = authenticate(c.req.header('authorization'), authEnv(env));
  if (!outcome.ok) {
    return outcome.kind === 'missing' ? imError(c, 401, outcome.message) : fail(c, 400, op, outcome.message);
  }
  const identity = outcome.identity;
  const infId = c.req.param('infId') ?? '';
  const infra = env.store.infras.get(infId);
  if (!infra) return fail(c, 404, op, INVALID_INFRA);
  const t = infraTime(infra, env.simNow());
  if (isDeleted(infra, t)) {
    if (t - (infra.deletedAt ?? t) >= env.timings.tombstoneMs) {
      env.store.infras.delete(infId);
      return fail(c, 404, op, INVALID_INFRA);
    }
    return fail(c, 404, op, 'Deleted infrastructure.');
  }
  if (identity.key !== infra.owner || infra.scenario.name === 'forbidden') {
    return fail(c, 403, op, 'Access to this infrastructure not granted.');
  }
  if (tokenExpiredFor(infra, t, identity.imToken)) return fail(c, 400, op, TOKEN_EXPIRED);
  const { latencyMs, errorRate, errorStatus } = infra.scenario;
  if (latencyMs) await env.sleep(latencyMs, c.req.raw.signal);
  if (errorRate !== undefined && env.random() < errorRate) {
    return fail(c, errorStatus ?? 503, op, 'Simulated IM failure');
  }
  return fn({ infra, identity, t });
}

function tokenExpiredFor(infra: SimInfra, t: number, token: string | undefined): boolean {
  return token !== undefined && infra.tokenExpiresAt !== undefined && t >= infra.tokenExpiresAt && token === infra.createToken;
}

/** The provider line this infrastructure was deployed with, if the caller sent it again. */
export function cloudLineFor(infra: SimInfra, identity: SimIdentity): AuthLine | undefined {
  return identity.clouds.find((l) => l.id === infra.cloud?.id);
}

/** Whether the IM could reach the infrastructure's cloud with the caller's provider line. */
export function cloudUsable(env: SimEnv, req: InfraRequest): boolean {
  const line = cloudLineFor(req.infra, req.identity);
  if (!cloudCredentialsValid(line, { nowMs: env.simNow(), store: env.store })) return false;
  return !tokenExpiredFor(req.infra, req.t, line ? cloudSecret(line) : undefined);
}

/** Records whether the cloud refresh works; VMs turn `unknown` after the grace period of failures. */
export function trackCloudRefresh(env: SimEnv, req: InfraRequest): void {
  if (cloudUsable(env, req)) req.infra.cloudFailingSince = undefined;
  else req.infra.cloudFailingSince ??= req.t;
}

/** Scenario chosen by header (direct tests), else template metadata, else the `im_sim_scenario` input. */
export function pickScenario(
  header: string | undefined,
  metadata: Record<string, unknown>,
  inputs: Record<string, { default?: unknown }>,
  inputValues: Record<string, unknown>,
): Scenario | ScenarioError {
  const spec = header ?? metadata.im_sim_scenario ?? inputValues.im_sim_scenario ?? inputs.im_sim_scenario?.default;
  try {
    return parseScenario(spec);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
}
