import { z } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import { IM_STATES } from '../types.js';
import type { SimEnv } from './env.js';
import { infraTime, isDeleted, type SimInfra } from './model.js';
import { purgeTombstones, type FaultRule } from './store.js';
import { viewInfra } from './timeline.js';

const FaultRuleInput = z.object({
  method: z.string().optional(),
  path: z.string().refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, 'path must be a valid regular expression'),
  status: z.number().int().min(100).max(599).optional(),
  body: z.string().optional(),
  delayMs: z.union([z.number().min(0), z.tuple([z.number().min(0), z.number().min(0)])]).optional(),
  times: z.number().int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
  action: z.enum(['reset', 'hang']).optional(),
});
const ClockInput = z.object({ advanceMs: z.number().min(0).optional(), now: z.number().optional() });
const AdvanceInput = z.object({ ms: z.number().min(0) });
const ForceStateInput = z.object({ state: z.enum(IM_STATES), vmIds: z.array(z.union([z.string(), z.number()])).optional() });
const ExpireInput = z.object({ token: z.string().optional(), sub: z.string().optional() });

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; res: Response }> {
  const raw: unknown = await c.req.json().catch(() => undefined);
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, res: c.json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 400) };
}

function summary(env: SimEnv, infra: SimInfra) {
  const t = infraTime(infra, env.simNow());
  const view = viewInfra(infra, t, t, env.timings);
  return {
    id: infra.id,
    owner: infra.ownerName,
    scenario: infra.scenario,
    createdAt: infra.createdAt,
    state: view.state,
    vmCount: view.vms.length,
    vms: view.vms.map(({ vm, state }) => ({
      id: String(vm.id),
      nodeName: vm.nodeName,
      state,
      publicIp: vm.publicIp,
      privateIp: vm.privateIp,
    })),
  };
}

/** The test-only control API under `/__sim` (never mounted in production mode). */
export function registerControlRoutes(app: Hono, env: SimEnv): void {
  const { store } = env;
  const find = (c: Context) => store.infras.get(c.req.param('id') ?? '');

  app.get('/__sim/health', (c) => c.json({ ok: true, mode: env.mode, infrastructures: store.infras.size }));

  app.get('/__sim/clock', (c) => c.json({ now: env.simNow(), offsetMs: store.clockOffsetMs }));
  app.post('/__sim/clock', async (c) => {
    const b = await body(c, ClockInput);
    if (!b.ok) return b.res;
    if (b.value.now !== undefined) store.clockOffsetMs += b.value.now - env.simNow();
    if (b.value.advanceMs !== undefined) store.clockOffsetMs += b.value.advanceMs;
    return c.json({ now: env.simNow(), offsetMs: store.clockOffsetMs });
  });

  app.get('/__sim/infrastructures', (c) => {
    const now = env.simNow();
    purgeTombstones(store, now, env.timings.tombstoneMs);
    const live = [...store.infras.values()].filter((i) => !isDeleted(i, infraTime(i, now)));
    return c.json({ count: live.length, infrastructures: live.map((i) => summary(env, i)) });
  });
  app.get('/__sim/infrastructures/:id', (c) => {
    const infra = find(c);
    return infra ? c.json(summary(env, infra)) : c.json({ error: 'no such infrastructure' }, 404);
  });
  app.delete('/__sim/infrastructures/:id', (c) => {
    const gone = store.infras.delete(c.req.param('id'));
    return gone ? c.body(null, 204) : c.json({ error: 'no such infrastructure' }, 404);
  });
  app.post('/__sim/infrastructures/:id/advance', async (c) => {
    const infra = find(c);
    if (!infra) return c.json({ error: 'no such infrastructure' }, 404);
    const b = await body(c, AdvanceInput);
    if (!b.ok) return b.res;
    infra.shiftMs += b.value.ms;
    return c.json(summary(env, infra));
  });
  app.post('/__sim/infrastructures/:id/state', async (c) => {
    const infra = find(c);
    if (!infra) return c.json({ error: 'no such infrastructure' }, 404);
    const b = await body(c, ForceStateInput);
    if (!b.ok) return b.res;
    const t = infraTime(infra, env.simNow());
    const wanted = b.value.vmIds?.map(String);
    const targets = infra.vms.filter((vm) => vm.launchAt <= t && (!wanted || wanted.includes(String(vm.id))));
    if (targets.length === 0) return c.json({ error: 'no VM to set (none launched yet?)' }, 409);
    for (const vm of targets) vm.forced = { state: b.value.state, at: t };
    infra.lastRefreshAt = t;
    return c.json(summary(env, infra));
  });

  app.get('/__sim/faults', (c) => c.json({ faults: store.faults }));
  app.post('/__sim/faults', async (c) => {
    const b = await body(c, FaultRuleInput);
    if (!b.ok) return b.res;
    const rule: FaultRule = { ...b.value, id: `f${++store.faultSeq}`, hits: 0 };
    store.faults.push(rule);
    return c.json(rule, 201);
  });
  app.delete('/__sim/faults', (c) => {
    store.faults.length = 0;
    return c.body(null, 204);
  });
  app.delete('/__sim/faults/:fid', (c) => {
    const i = store.faults.findIndex((f) => f.id === c.req.param('fid'));
    if (i < 0) return c.json({ error: 'no such fault' }, 404);
    store.faults.splice(i, 1);
    return c.body(null, 204);
  });

  app.get('/__sim/requests', (c) => {
    const path = c.req.query('path');
    let re: RegExp | undefined;
    try {
      re = path ? new RegExp(path) : undefined;
    } catch {
      return c.json({ error: 'path must be a valid regular expression' }, 400);
    }
    return c.json({ requests: store.requests.filter((r) => !re || re.test(r.path)) });
  });
  app.delete('/__sim/requests', (c) => {
    store.requests.length = 0;
    return c.body(null, 204);
  });

  app.post('/__sim/tokens/expire', async (c) => {
    const b = await body(c, ExpireInput);
    if (!b.ok) return b.res;
    if (!b.value.token && !b.value.sub) return c.json({ error: 'give token or sub' }, 400);
    if (b.value.token) store.expiredTokens.add(b.value.token);
    if (b.value.sub) store.expiredSubjects.add(b.value.sub);
    return c.body(null, 204);
  });
  app.delete('/__sim/tokens/expired', (c) => {
    store.expiredTokens.clear();
    store.expiredSubjects.clear();
    return c.body(null, 204);
  });

  app.post('/__sim/reset', (c) => {
    store.infras.clear();
    store.faults.length = 0;
    store.requests.length = 0;
    store.expiredTokens.clear();
    store.expiredSubjects.clear();
    store.clockOffsetMs = 0;
    return c.body(null, 204);
  });
}
