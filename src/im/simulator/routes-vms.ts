import type { Context, Hono } from 'hono';
import type { ImStateName } from '../types.js';
import { vmContmsg } from './contmsg.js';
import type { SimEnv } from './env.js';
import { applyVmAction, reconfigure } from './infra-ops.js';
import { isDeleting, isRemoved, type SimVm, type VmActionKind } from './model.js';
import { cloudUsable, fail, trackCloudRefresh, withInfra, type InfraRequest } from './request-context.js';
import { currentView } from './routes-infra.js';
import { buildVmRadl, radlToText } from './vm-radl.js';
import { emptyOk, negotiate, readFlag, scalarResponse, unsupportedAccept } from './wire.js';

const VM = '/infrastructures/:infId/vms/:vmId';

const ACTION_OPS: Record<VmActionKind, string> = { start: 'starting VM', stop: 'stopping VM', reboot: 'rebooting VM' };

type VmLookup = { vm: SimVm; state: ImStateName; r: number } | { error: string };

/** A visible VM and its current state, or the IM's 404 detail. */
function lookupVm(env: SimEnv, req: InfraRequest, rawId: string): VmLookup {
  const id = /^\d+$/.test(rawId) ? Number(rawId) : -1;
  const vm = req.infra.vms[id];
  if (!vm || vm.launchAt > req.t) return { error: 'Invalid VM ID' };
  if (isRemoved(vm, req.t)) return { error: 'Deleted VM.' };
  const { r, view } = currentView(env, req);
  const seen = view.vms.find((v) => v.vm === vm);
  if (!seen) return { error: 'Deleted VM.' };
  return { vm, state: seen.state, r };
}

function vmAction(c: Context, env: SimEnv, req: InfraRequest, kind: VmActionKind): Response {
  const op = ACTION_OPS[kind];
  const found = lookupVm(env, req, c.req.param('vmId') ?? '');
  if ('error' in found) return fail(c, 404, op, found.error);
  const { vm, state } = found;
  if (isDeleting(req.infra, req.t)) return fail(c, 409, op, 'Invalid State to perform this operation.');
  if (!cloudUsable(env, req)) return fail(c, 400, op, `Error ${op.split(' ')[0]} the VM: Invalid cloud credentials`);
  if (req.infra.scenario.name === 'action-fails') {
    return fail(c, 400, op, `Error ${op.split(' ')[0]} the VM: Cloud API request failed (HTTP 500)`);
  }
  if (state === 'failed' || state === 'pending') return fail(c, 400, op, `The VM is in state ${state}`);
  if (kind === 'reboot' && state === 'stopped') return fail(c, 400, op, 'The VM is stopped: start it instead');
  applyVmAction(vm, kind, req.t, env.timings, state === 'stopped');
  return emptyOk(c);
}

function removeVms(c: Context, env: SimEnv, req: InfraRequest): Response {
  const op = 'Removing resources';
  const context = readFlag(c, 'context');
  if (context === 'invalid') return fail(c, 400, op, 'Incorrect value in context parameter');
  const ids = (c.req.param('vmId') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const found: SimVm[] = [];
  for (const id of ids) {
    const res = lookupVm(env, req, id);
    if ('error' in res) return fail(c, 404, op, res.error);
    found.push(res.vm);
  }
  for (const vm of found) vm.removedAt = req.t;
  req.infra.log.push({ at: req.t, msg: `Removing VMs: ${ids.join(', ')}` });
  if (context !== false) reconfigure(req.infra, req.t, env.timings);
  return emptyOk(c);
}

export function registerVmRoutes(app: Hono, env: SimEnv): void {
  app.get(VM, (c) =>
    withInfra(c, env, 'Getting VM info', (req) => {
      const rep = negotiate(c.req.header('accept'), 'text/plain');
      if (!rep) return unsupportedAccept(c);
      trackCloudRefresh(env, req);
      const found = lookupVm(env, req, c.req.param('vmId'));
      if ('error' in found) return fail(c, 404, 'Getting VM info', found.error);
      const radl = buildVmRadl(req.infra, found.vm, found.state);
      return rep === 'json' ? c.json({ radl }) : c.body(radlToText(radl), 200, { 'Content-Type': 'text/plain' });
    }),
  );

  app.get(`${VM}/:prop`, (c) =>
    withInfra(c, env, 'Getting VM property', (req) => {
      const op = 'Getting VM property';
      const rep = negotiate(c.req.header('accept'), 'text/plain');
      if (!rep) return unsupportedAccept(c);
      const found = lookupVm(env, req, c.req.param('vmId'));
      if ('error' in found) return fail(c, 404, op, found.error);
      const prop = c.req.param('prop');
      if (prop === 'contmsg') return scalarResponse(c, prop, vmContmsg(req.infra, found.vm, found.state, found.r), rep);
      const system = buildVmRadl(req.infra, found.vm, found.state).find((a) => a.class === 'system');
      const value = system?.[prop];
      if (value === undefined) return fail(c, 404, op, `Incorrect property ${prop} for VM ID ${found.vm.id}`);
      return scalarResponse(c, prop, String(value), rep);
    }),
  );

  app.put(`${VM}/:action`, (c) => {
    const action = c.req.param('action');
    if (action !== 'start' && action !== 'stop' && action !== 'reboot') {
      return withInfra(c, env, 'VM operation', () => fail(c, 404, 'VM operation', `Incorrect VM operation ${action}`));
    }
    return withInfra(c, env, ACTION_OPS[action], (req) => vmAction(c, env, req, action));
  });

  app.put(VM, (c) =>
    withInfra(c, env, 'Altering VM', () => fail(c, 400, 'Altering VM', 'Altering VMs is not supported by the IM simulator')),
  );

  app.delete(VM, (c) => withInfra(c, env, 'Removing resources', (req) => removeVms(c, env, req)));
}
