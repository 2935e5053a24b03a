import type { Context, Hono } from 'hono';
import { buildContmsg } from './contmsg.js';
import type { SimEnv } from './env.js';
import { applyUpdate, applyVmAction, reconfigure, vmsToDestroy } from './infra-ops.js';
import { mergeTosca } from './merge-tosca.js';
import { isDeleting } from './model.js';
import { infraOutputs } from './outputs.js';
import { cloudUsable, fail, trackCloudRefresh, withInfra, type InfraRequest } from './request-context.js';
import { liveVms, refreshTime, viewInfra } from './timeline.js';
import { checkToscaContentType, parseToscaBody } from './tosca-body.js';
import { buildVmRadl, radlToText } from './vm-radl.js';
import {
  emptyOk,
  infraUri,
  negotiate,
  negotiateJsonOnly,
  readFlag,
  scalarResponse,
  unsupportedAccept,
  uriListResponse,
} from './wire.js';

const INFRA = '/infrastructures/:infId';
const INFRA_ACTION_OPS: Record<string, string> = { start: 'starting Inf.', stop: 'stopping Inf.', reconfigure: 'reconfiguring Inf.' };

/** The infrastructure as seen now, VM data refreshed per the cache rule. */
export function currentView(env: SimEnv, req: InfraRequest) {
  const r = refreshTime(req.infra, req.t, env.timings);
  return { r, view: viewInfra(req.infra, req.t, r, env.timings) };
}

function infraProperty(env: SimEnv, req: InfraRequest, prop: string): unknown {
  const { infra } = req;
  switch (prop) {
    case 'tosca':
      return infra.toscaText;
    case 'radl': {
      const { view } = currentView(env, req);
      return view.vms.map(({ vm, state }) => radlToText(buildVmRadl(infra, vm, state))).join('\n\n');
    }
    case 'data':
      return JSON.stringify({ id: infra.id, tosca: infra.toscaText, vm_count: infra.vms.length });
    case 'authorization':
      return JSON.stringify([{ type: 'InfrastructureManager', username: infra.ownerName }]);
    default:
      return undefined;
  }
}

function destroy(c: Context, env: SimEnv, req: InfraRequest, op: string): Response {
  const asyncFlag = readFlag(c, 'async');
  const force = readFlag(c, 'force');
  if (asyncFlag === 'invalid') return fail(c, 400, op, 'Incorrect value in async parameter');
  if (force === 'invalid') return fail(c, 400, op, 'Incorrect value in force parameter');
  const { infra, t } = req;
  if (isDeleting(infra, t)) return emptyOk(c);
  if (t < infra.addingUntil) return fail(c, 409, op, 'Invalid State to perform this operation.');
  const cloudOk = cloudUsable(env, req);
  const scripted = infra.deleteFailuresLeft > 0;
  const fails = force !== true && (scripted || !cloudOk);
  if (fails && scripted) infra.deleteFailuresLeft -= 1;
  const detail = cloudOk
    ? 'Error destroying the infrastructure: Error destroying VM: Cloud API request failed (HTTP 500)'
    : 'Error destroying the infrastructure: Invalid cloud credentials';
  const doomed = vmsToDestroy(liveVms(infra, t), fails);
  if (asyncFlag !== true) {
    doomed.forEach((vm) => (vm.removedAt = t));
    if (fails) {
      infra.log.push({ at: t, msg: `ERROR: ${detail}` });
      return fail(c, 400, op, detail);
    }
    infra.deletedAt = t;
    return emptyOk(c);
  }
  const until = t + env.timings.deleteMs;
  infra.deleteWindow = { from: t, until, reverts: fails };
  if (fails) {
    doomed.forEach((vm) => (vm.removedAt = until));
    infra.log.push({ at: until, msg: `ERROR: ${detail}` });
  } else {
    infra.deletedAt = until;
  }
  return emptyOk(c);
}

async function addResources(c: Context, env: SimEnv, req: InfraRequest, op: string): Promise<Response> {
  const context = readFlag(c, 'context');
  if (context === 'invalid') return fail(c, 400, op, 'Incorrect value in context parameter');
  const rep = negotiate(c.req.header('accept'), 'text/uri-list');
  if (!rep) return unsupportedAccept(c);
  const badType = checkToscaContentType(c, op);
  if (badType) return badType;
  if (isDeleting(req.infra, req.t)) return fail(c, 409, op, 'Invalid State to perform this operation.');
  const merged = mergeTosca(req.infra.toscaText, await c.req.text());
  if (!merged.ok) return fail(c, 400, op, merged.message);
  const template = await parseToscaBody(c, env.parseTosca, op, merged.text);
  if (template instanceof Response) return template;
  const { added } = applyUpdate(
    req.infra,
    { template, text: merged.text, removals: merged.removals, context: context !== false, cloudOk: cloudUsable(env, req) },
    req.t,
    env,
  );
  const res = uriListResponse(
    c,
    added.map((vm) => infraUri(c, req.infra.id, vm.id)),
    rep,
  );
  res.headers.set('InfID', req.infra.id);
  return res;
}

export function registerInfraRoutes(app: Hono, env: SimEnv): void {
  app.get(INFRA, (c) =>
    withInfra(c, env, 'Getting Inf. info', (req) => {
      const rep = negotiate(c.req.header('accept'), 'text/uri-list');
      if (!rep) return unsupportedAccept(c);
      const { view } = currentView(env, req);
      return uriListResponse(
        c,
        view.vms.map(({ vm }) => infraUri(c, req.infra.id, vm.id)),
        rep,
      );
    }),
  );

  app.get(`${INFRA}/state`, (c) =>
    withInfra(c, env, 'Getting Inf. state', (req) => {
      if (!negotiateJsonOnly(c.req.header('accept'))) return unsupportedAccept(c);
      trackCloudRefresh(env, req);
      const { view } = currentView(env, req);
      const vmStates = Object.fromEntries(view.vms.map(({ vm, state }) => [String(vm.id), state]));
      return c.json({ state: { state: view.state, vm_states: vmStates } });
    }),
  );

  app.get(`${INFRA}/contmsg`, (c) =>
    withInfra(c, env, 'Getting Inf. cont msg', (req) => {
      const headerOnly = readFlag(c, 'headeronly');
      if (headerOnly === 'invalid') return fail(c, 400, 'Getting Inf. cont msg', 'Incorrect value in headeronly parameter');
      const rep = negotiate(c.req.header('accept'), 'text/plain');
      if (!rep) return unsupportedAccept(c);
      const { r, view } = currentView(env, req);
      return scalarResponse(c, 'contmsg', buildContmsg(req.infra, view, r, headerOnly === true), rep);
    }),
  );

  app.get(`${INFRA}/outputs`, (c) =>
    withInfra(c, env, 'Getting Inf. outputs', (req) => {
      if (!negotiateJsonOnly(c.req.header('accept'))) return unsupportedAccept(c);
      const { view } = currentView(env, req);
      try {
        return c.json({ outputs: infraOutputs(req.infra, view) });
      } catch (e) {
        return fail(c, 400, 'Getting Inf. outputs', e instanceof Error ? e.message : String(e));
      }
    }),
  );

  app.get(`${INFRA}/:prop`, (c) =>
    withInfra(c, env, 'Getting Inf. prop', (req) => {
      const value = infraProperty(env, req, c.req.param('prop'));
      if (value === undefined) return fail(c, 404, 'Getting Inf. prop', 'Incorrect infrastructure property');
      const rep = negotiate(c.req.header('accept'), 'text/plain');
      if (!rep) return unsupportedAccept(c);
      return scalarResponse(c, c.req.param('prop'), String(value), rep);
    }),
  );

  app.delete(INFRA, (c) => withInfra(c, env, 'Destroying Inf', (req) => destroy(c, env, req, 'Destroying Inf')));

  app.post(INFRA, (c) => withInfra(c, env, 'Adding resources', (req) => addResources(c, env, req, 'Adding resources')));

  app.put(`${INFRA}/:action`, (c) => {
    const action = c.req.param('action');
    const op = INFRA_ACTION_OPS[action] ?? 'Inf. operation';
    return withInfra(c, env, op, (req) => {
      if (action === 'reconfigure') {
        reconfigure(req.infra, req.t, env.timings);
        return emptyOk(c, { InfID: req.infra.id });
      }
      if (action !== 'start' && action !== 'stop') return fail(c, 404, op, 'Incorrect infrastructure operation');
      if (!cloudUsable(env, req)) return fail(c, 400, op, 'Invalid cloud credentials');
      const { view } = currentView(env, req);
      for (const { vm, state } of view.vms) {
        if (state !== 'failed') applyVmAction(vm, action, req.t, env.timings, state === 'stopped');
      }
      return emptyOk(c);
    });
  });
}
