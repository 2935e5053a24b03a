import { buildImAuthHeader } from './auth-header.js';
import { ImError, markOutcomeUnknown } from './errors.js';
import { callIm, type CallSpec, type HttpEnv } from './http-call.js';
import { infIdFromUri, invalidAnswer, jsonField, parseUriList, vmIdFromUri } from './parse-answers.js';
import { parseInfraState } from './parse-state.js';
import { parseVmInfo } from './parse-vm-info.js';
import { redactOutputs } from './redact-outputs.js';
import { redactText } from './redact-text.js';
import { sleep } from './retry.js';
import { defaultImTracer } from './tracing.js';
import type { ImCallContext, ImClient, ImClientOptions } from './types.js';

const TOSCA_CONTENT_TYPE = 'text/yaml';
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 2;

const flag = (v: boolean | undefined): string | undefined => (v === undefined ? undefined : v ? 'yes' : 'no');
const seg = encodeURIComponent;

function rethrowUnsure(e: unknown): never {
  throw markOutcomeUnknown(e);
}

function requireId(operation: string, name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ImError(`IM ${operation}: ${name} is empty`, { kind: 'invalid', operation });
  }
}

/** A typed client for the IM REST API (contract: docs/im-contract.md). */
export function createImClient(o: ImClientOptions): ImClient {
  const env: HttpEnv = {
    baseUrl: o.baseUrl,
    fetch: o.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    tracer: o.tracer ?? defaultImTracer(),
    observer: o.observer,
    retryPolicy: {
      retries: o.retries ?? DEFAULT_RETRIES,
      baseDelayMs: o.retryBaseDelayMs ?? 500,
      maxDelayMs: o.retryMaxDelayMs ?? 10_000,
      sleep: o.sleep ?? sleep,
      random: o.random ?? Math.random,
    },
  };

  const call = (ctx: ImCallContext, spec: Omit<CallSpec, 'authorization' | 'signal' | 'headers'>) =>
    callIm(env, {
      ...spec,
      authorization: buildImAuthHeader(o.credentials, ctx.cloud, ctx.accessToken),
      signal: ctx.signal,
      headers: ctx.headers,
    });

  const infPath = (infId: string) => `/infrastructures/${seg(infId)}`;
  const vmPath = (infId: string, vmId: string) => `${infPath(infId)}/vms/${seg(vmId)}`;

  const vmAction = async (operation: string, action: string, ctx: ImCallContext, infId: string, vmId: string) => {
    requireId(operation, 'infId', infId);
    requireId(operation, 'vmId', vmId);
    await call(ctx, { operation, method: 'PUT', path: `${vmPath(infId, vmId)}/${action}`, retry: true, infId, vmId });
  };

  return {
    async getVersion(opts) {
      const res = await callIm(env, { operation: 'getVersion', method: 'GET', path: '/version', retry: true, signal: opts?.signal });
      const text = res.text.trim();
      if (!text.startsWith('{')) return text;
      const v = jsonField('getVersion', text, 'version');
      if (typeof v !== 'string') throw invalidAnswer('getVersion', '"version" is not a string');
      return v;
    },

    async createInfrastructure(ctx, tosca, opts) {
      const operation = 'createInfrastructure';
      const res = await call(ctx, {
        operation,
        method: 'POST',
        path: '/infrastructures',
        query: { async: flag(opts?.async ?? true) },
        body: tosca,
        contentType: TOSCA_CONTENT_TYPE,
        retry: false,
      }).catch(rethrowUnsure);
      const text = res.text.trim();
      const uri = text.startsWith('{') ? jsonField(operation, text, 'uri') : text;
      if (typeof uri !== 'string' || uri === '') throw invalidAnswer(operation, 'no infrastructure URI');
      const infId = res.headers.get('InfID')?.trim() || infIdFromUri(uri, operation);
      if (!infId) throw invalidAnswer(operation, 'no infrastructure id');
      return { infId, uri };
    },

    async listInfrastructures(ctx, opts) {
      const operation = 'listInfrastructures';
      const res = await call(ctx, {
        operation,
        method: 'GET',
        path: '/infrastructures',
        query: { filter: opts?.filter },
        retry: true,
      });
      return parseUriList(operation, res.text)
        .map((uri) => infIdFromUri(uri, operation))
        .filter((id): id is string => id !== undefined);
    },

    async getState(ctx, infId) {
      requireId('getState', 'infId', infId);
      const res = await call(ctx, { operation: 'getState', method: 'GET', path: `${infPath(infId)}/state`, retry: true, infId });
      return parseInfraState(res.text);
    },

    async listVms(ctx, infId) {
      const operation = 'listVms';
      requireId(operation, 'infId', infId);
      const res = await call(ctx, { operation, method: 'GET', path: infPath(infId), retry: true, infId });
      return parseUriList(operation, res.text)
        .map((uri) => vmIdFromUri(uri, operation))
        .filter((id): id is string => id !== undefined);
    },

    async getVmInfo(ctx, infId, vmId) {
      requireId('getVmInfo', 'infId', infId);
      requireId('getVmInfo', 'vmId', vmId);
      const res = await call(ctx, { operation: 'getVmInfo', method: 'GET', path: vmPath(infId, vmId), retry: true, infId, vmId });
      return parseVmInfo(vmId, res.text);
    },

    async getContmsg(ctx, infId, opts) {
      const operation = 'getContmsg';
      requireId(operation, 'infId', infId);
      const res = await call(ctx, {
        operation,
        method: 'GET',
        path: `${infPath(infId)}/contmsg`,
        query: { headeronly: opts?.headerOnly ? 'yes' : undefined },
        retry: true,
        infId,
      });
      const text = res.text.trimStart();
      const msg = text.startsWith('{') ? jsonField(operation, text, 'contmsg') : res.text;
      if (typeof msg !== 'string') throw invalidAnswer(operation, '"contmsg" is not a string');
      return redactText(msg);
    },

    async getOutputs(ctx, infId) {
      const operation = 'getOutputs';
      requireId(operation, 'infId', infId);
      const res = await call(ctx, { operation, method: 'GET', path: `${infPath(infId)}/outputs`, retry: true, infId });
      const outputs = jsonField(operation, res.text, 'outputs');
      if (outputs === null) return {};
      if (typeof outputs !== 'object' || Array.isArray(outputs)) throw invalidAnswer(operation, '"outputs" is not an object');
      return redactOutputs(outputs as Record<string, unknown>);
    },

    startVm: (ctx, infId, vmId) => vmAction('startVm', 'start', ctx, infId, vmId),
    stopVm: (ctx, infId, vmId) => vmAction('stopVm', 'stop', ctx, infId, vmId),
    rebootVm: (ctx, infId, vmId) => vmAction('rebootVm', 'reboot', ctx, infId, vmId),

    async updateInfrastructure(ctx, infId, tosca, opts) {
      const operation = 'updateInfrastructure';
      requireId(operation, 'infId', infId);
      const res = await call(ctx, {
        operation,
        method: 'POST',
        path: infPath(infId),
        query: { context: flag(opts?.context) },
        body: tosca,
        contentType: TOSCA_CONTENT_TYPE,
        retry: false,
        infId,
      }).catch(rethrowUnsure);
      return parseUriList(operation, res.text)
        .map((uri) => vmIdFromUri(uri, operation))
        .filter((id): id is string => id !== undefined);
    },

    async removeVms(ctx, infId, vmIds, opts) {
      const operation = 'removeVms';
      requireId(operation, 'infId', infId);
      if (vmIds.length === 0) return;
      vmIds.forEach((id) => requireId(operation, 'vmId', id));
      await call(ctx, {
        operation,
        method: 'DELETE',
        path: `${infPath(infId)}/vms/${vmIds.map(seg).join(',')}`,
        query: { context: flag(opts?.context) },
        retry: true,
        // A retry after a lost answer finds the VMs already removed.
        doneOnRetry: (e) => e.kind === 'not_found' && (e.imMessage ?? '').includes('Deleted VM.'),
        infId,
      });
    },

    async destroyInfrastructure(ctx, infId, opts) {
      const operation = 'destroyInfrastructure';
      requireId(operation, 'infId', infId);
      await call(ctx, {
        operation,
        method: 'DELETE',
        path: infPath(infId),
        query: { async: flag(opts?.async ?? true), force: opts?.force ? 'yes' : undefined },
        retry: true,
        infId,
      });
    },
  };
}
