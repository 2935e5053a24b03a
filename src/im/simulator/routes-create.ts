import type { Hono } from 'hono';
import { validateInputs, type ParsedTemplate } from '../../tosca/index.js';
import { buildInfra, everyVmFails, MAX_VMS_PER_INFRA, plannedVmCount } from './build-infra.js';
import type { SimEnv } from './env.js';
import { infraTime, isDeleted } from './model.js';
import { authTop, fail, pickScenario } from './request-context.js';
import { cloudCredentialsValid } from './sim-auth.js';
import { purgeTombstones, purgeTombstonesNowAndThen } from './store.js';
import { checkToscaContentType, parseToscaBody } from './tosca-body.js';
import { infraUri, negotiate, readFlag, unsupportedAccept, uriListResponse } from './wire.js';

export const SCENARIO_HEADER = 'x-im-sim-scenario';
const MAX_FILTER_CHARS = 256;
const PURGE_EVERY_MS = 10_000;

function inputValuesOf(template: ParsedTemplate): Record<string, unknown> {
  const checked = validateInputs(template, {});
  if (checked.ok) return checked.values;
  return Object.fromEntries(
    Object.entries(template.inputs)
      .filter(([, def]) => def.default !== undefined)
      .map(([name, def]) => [name, def.default]),
  );
}

export function registerCreateRoutes(app: Hono, env: SimEnv): void {
  app.post('/infrastructures', async (c) => {
    const op = 'Creating Inf.';
    const identity = authTop(c, env, op);
    if (identity instanceof Response) return identity;
    const asyncFlag = readFlag(c, 'async');
    if (asyncFlag === 'invalid') return fail(c, 400, op, 'Incorrect value in async parameter');
    const dryRun = readFlag(c, 'dry_run');
    if (dryRun === 'invalid') return fail(c, 400, op, 'Incorrect value in dry_run parameter');
    if (dryRun === true) return fail(c, 400, op, 'dry_run is not supported by the IM simulator');
    const rep = negotiate(c.req.header('accept'), 'text/uri-list');
    if (!rep) return unsupportedAccept(c);
    const badType = checkToscaContentType(c, op);
    if (badType) return badType;
    const text = await c.req.text();
    const template = await parseToscaBody(c, env.parseTosca, op, text);
    if (template instanceof Response) return template;
    const inputValues = inputValuesOf(template);
    const scenario = pickScenario(c.req.header(SCENARIO_HEADER), template.metadata, template.inputs, inputValues);
    if (scenario instanceof Error) return fail(c, 400, op, scenario.message);
    const planned = plannedVmCount(template, inputValues, scenario);
    if (planned > MAX_VMS_PER_INFRA) return fail(c, 400, op, `The infrastructure asks for ${planned} VMs; the simulator allows at most ${MAX_VMS_PER_INFRA}`);
    const line = identity.clouds[0];
    const cloud = line ? { id: line.id ?? 'cloud', type: line.type ?? 'OpenStack', host: line.host ?? '' } : undefined;
    const isAsync = asyncFlag === true;
    if (!isAsync && !cloud) return fail(c, 400, op, 'No cloud provider available');
    const t = env.simNow();
    purgeTombstonesNowAndThen(env.store, t, env.timings.tombstoneMs, PURGE_EVERY_MS);
    const infra = buildInfra(
      {
        id: env.newId(),
        owner: identity.key,
        ownerName: identity.name,
        t,
        toscaText: text,
        template,
        inputValues,
        cloud,
        cloudCredentialsOk: cloudCredentialsValid(line, { nowMs: t, store: env.store }),
        scenario,
        async: isAsync,
        createToken: identity.imToken ?? (line ? (line.token ?? line.password) : undefined),
      },
      env,
    );
    if (!isAsync && everyVmFails(infra)) {
      const errors = [...new Set(infra.vms.map((vm) => vm.failMessage))].join('; ');
      return fail(c, 400, op, `Error adding VMs: ${errors}`);
    }
    env.store.infras.set(infra.id, infra);
    const uri = infraUri(c, infra.id);
    if (rep === 'json') return c.json({ uri }, 200, { InfID: infra.id });
    return c.body(uri, 200, { 'Content-Type': 'text/uri-list', InfID: infra.id });
  });

  app.get('/infrastructures', (c) => {
    const op = 'Getting Inf. List';
    const identity = authTop(c, env, op);
    if (identity instanceof Response) return identity;
    const rep = negotiate(c.req.header('accept'), 'text/uri-list');
    if (!rep) return unsupportedAccept(c);
    let filter: RegExp | undefined;
    const raw = c.req.query('filter');
    if (raw !== undefined) {
      if (raw.length > MAX_FILTER_CHARS) return fail(c, 400, op, `The filter is longer than ${MAX_FILTER_CHARS} characters`);
      try {
        filter = new RegExp(raw);
      } catch {
        return fail(c, 400, op, 'Invalid filter regular expression');
      }
    }
    const now = env.simNow();
    purgeTombstones(env.store, now, env.timings.tombstoneMs);
    const mine = [...env.store.infras.values()]
      .filter((i) => i.owner === identity.key && !isDeleted(i, infraTime(i, now)))
      .filter((i) => !filter || filter.test(i.toscaText))
      .sort((a, b) => b.createdAt - a.createdAt);
    return uriListResponse(
      c,
      mine.map((i) => infraUri(c, i.id)),
      rep,
    );
  });
}
