import type { ImStateName } from '../types.js';
import { fakeJwt, fakePassword, fakePrivateKey } from './fake-secrets.js';
import type { SimContextualization, SimInfra, SimVm } from './model.js';
import type { InfraView } from './timeline.js';

const SEPARATOR = '*'.repeat(75);

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, as the IM prints log lines. */
export function imTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

type Line = { at: number; msg: string };

const CTXT_STEPS: Array<[number, string]> = [
  [0, 'Contextualization process started'],
  [0, 'Select master VM'],
  [0.05, 'Wait master VM to boot'],
  [0.1, 'Wait master VM to have the SSH active.'],
  [0.15, 'Creating and copying Ansible playbook files'],
  [0.2, 'Launching the ctxt agent in the master VM'],
];

function ctxtLines(c: SimContextualization, until: number): Line[] {
  const span = c.endAt - c.startAt;
  const lines: Line[] = CTXT_STEPS.map(([f, msg]) => ({ at: c.startAt + Math.round(f * span), msg }));
  if (c.maxTimeReached) lines.push({ at: c.endAt, msg: 'ERROR: Max contextualization time passed.' });
  else if (c.outcome === 'unconfigured') {
    lines.push({ at: c.endAt, msg: 'ERROR: Error in the contextualization process: Ansible playbook failed.' });
  } else lines.push({ at: c.endAt, msg: 'Contextualization process successfully finished.' });
  return lines.filter((l) => l.at < until);
}

function headerLines(infra: SimInfra, view: InfraView, r: number): Line[] {
  const lines: Line[] = [...infra.log];
  lines.push({ at: infra.launchAt, msg: `Launching ${infra.vms.filter((v) => v.launchAt === infra.launchAt).length} VMs.` });
  if (infra.creationError) lines.push({ at: infra.launchAt, msg: `ERROR: ${infra.creationError}` });
  if (view.allFailed) {
    const at = Math.max(...infra.vms.map((v) => v.runningAt));
    lines.push({ at, msg: 'All VMs failed. No contextualize.' });
  } else if (infra.creationError === undefined) {
    const all = [...infra.pastCtxts, infra.ctxt];
    all.forEach((c, i) => {
      const until = i + 1 < all.length ? all[i + 1].requestedAt : Number.POSITIVE_INFINITY;
      lines.push(...ctxtLines(c, until));
    });
  }
  return lines.filter((l) => l.at <= r).sort((a, b) => a.at - b.at);
}

function inputItems(infra: SimInfra, host: string): string {
  const items = Object.entries(infra.inputValues).map(([name, value]) => `ok: [${host}] => (item={'name': '${name}', 'value': ${JSON.stringify(value)}})`);
  return items.length ? items.join('\n') : `skipping: [${host}]`;
}

function ansibleTasks(infra: SimInfra, vm: SimVm): string[] {
  const host = `${vm.nodeName}-${vm.id}`;
  const seed = `${infra.id}/${vm.id}`;
  const escapedKey = JSON.stringify(fakePrivateKey(seed));
  return [
    `TASK [Gathering Facts] ${'*'.repeat(40)}\nok: [${host}]`,
    `TASK [indigo-dc.cloudadm : Create the cloudadm user] ${'*'.repeat(10)}\nchanged: [${host}]`,
    `TASK [indigo-dc.cloudadm : Install the user key] ${'*'.repeat(14)}\nchanged: [${host}] => {"changed": true, "private_key": ${escapedKey}}`,
    `TASK [Set service credentials] ${'*'.repeat(32)}\nok: [${host}] => {"ansible_facts": {"admin_password": "${fakePassword(seed)}"}}`,
    `TASK [Register with IAM] ${'*'.repeat(38)}\nok: [${host}] => {"json": {"access_token": "${fakeJwt(seed)}", "token_type": "Bearer"}}`,
    // Ansible echoes loop items verbatim: an input's value (a password too) lands in the log as is.
    `TASK [Apply the deployment inputs] ${'*'.repeat(28)}\n${inputItems(infra, host)}`,
    `TASK [Install packages] ${'*'.repeat(39)}\nchanged: [${host}]`,
    `TASK [Configure the service] ${'*'.repeat(34)}\nchanged: [${host}] => (item=db_password=${fakePassword(`${seed}/db`)})`,
    `TASK [Start the service] ${'*'.repeat(38)}\nchanged: [${host}]`,
  ];
}

function vmBlock(infra: SimInfra, vm: SimVm, state: ImStateName, r: number): string {
  if (vm.fails && r >= vm.runningAt) return `Error launching the VM: ${vm.failMessage ?? 'unknown cloud error'}\n`;
  const c = infra.ctxt;
  if (r < c.startAt) return '';
  const tasks = ansibleTasks(infra, vm);
  const span = Math.max(1, c.endAt - c.startAt);
  const finished = r >= c.endAt;
  const progress = finished ? 1 : (r - c.startAt) / span;
  // A stuck or failing run never reaches its last task.
  const reachable = c.outcome === 'configured' ? tasks.length : tasks.length - 1;
  const shown = tasks.slice(0, Math.min(reachable, Math.ceil(progress * tasks.length)));
  const host = `${vm.nodeName}-${vm.id}`;
  let out = `PLAY [${vm.nodeName}] ${'*'.repeat(50)}\n\n${shown.join('\n\n')}\n`;
  if (finished && c.outcome === 'configured') {
    out += `\nPLAY RECAP ${'*'.repeat(50)}\n${host} : ok=${tasks.length} changed=5 unreachable=0 failed=0\n`;
  } else if (finished && !c.maxTimeReached) {
    out += `\nfatal: [${host}]: FAILED! => {"changed": false, "msg": "Service failed to start (exit code 1)"}\n`;
    out += `\nPLAY RECAP ${'*'.repeat(50)}\n${host} : ok=${shown.length} changed=4 unreachable=0 failed=1\n`;
  }
  return state === 'unknown' ? `${out}Error getting VM info: cloud API not reachable\n` : out;
}

/** The contextualization log at refresh time `r`: timestamped infrastructure lines, then one block per VM. */
export function buildContmsg(infra: SimInfra, view: InfraView, r: number, headerOnly: boolean): string {
  let out = headerLines(infra, view, r)
    .map((l) => `${imTimestamp(l.at)}: ${l.msg}\n`)
    .join('');
  if (headerOnly) return out;
  for (const { vm, state } of view.vms) out += `VM ${vm.id}:\n${vmBlock(infra, vm, state, r)}${SEPARATOR}\n`;
  return out;
}

export function vmContmsg(infra: SimInfra, vm: SimVm, state: ImStateName, r: number): string {
  return vmBlock(infra, vm, state, r);
}
