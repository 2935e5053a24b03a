import type { Tracer } from '@opentelemetry/api';
import type { ImErrorKind } from './errors.js';

export const IM_STATES = [
  'pending',
  'running',
  'configured',
  'unconfigured',
  'stopped',
  'off',
  'failed',
  'unknown',
  'deleting',
] as const;

export type ImStateName = (typeof IM_STATES)[number];
export type VmState = ImStateName;

/** The InfrastructureManager line: a fixed IM user, or the caller's access token when `useAccessToken` is set. */
export interface ImCredentials {
  username: string;
  password: string;
  useAccessToken?: boolean;
}

/** One provider line of the Authorization header; the user's access token is filled in per call. */
export interface CloudLine {
  id: string;
  type: string;
  host?: string;
  [k: string]: string | undefined;
}

/** Per-call authentication: the provider line(s) and the user's access token. */
export interface ImCallContext {
  cloud: CloudLine | readonly CloudLine[];
  accessToken: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface InfraState {
  state: ImStateName;
  vmStates: Record<string, VmState>;
}

/** One RADL-JSON aspect (`network`, `system`, `configure`, …). */
export type RadlAspect = { class: string; id: string } & Record<string, unknown>;

export interface VmInfo {
  id: string;
  /** The TOSCA node name (the RADL system id). */
  nodeName?: string;
  state: VmState;
  publicIps: string[];
  privateIps: string[];
  instanceId?: string;
  /** The RADL-JSON aspects, secrets masked. */
  raw: RadlAspect[];
}

export interface CreatedInfrastructure {
  infId: string;
  uri: string;
}

/** One HTTP request to the IM as it ended: `errorKind` is unset when the IM answered 2xx. */
export interface ImAttempt {
  operation: string;
  durationMs: number;
  errorKind?: ImErrorKind;
}

/** Runtime-neutral hook for metrics; an observer that throws never breaks the call. */
export interface ImCallObserver {
  attemptEnded(attempt: ImAttempt): void;
}

export interface ImClientOptions {
  baseUrl: string;
  credentials: ImCredentials;
  /** Per-attempt timeout; default 60 s. */
  timeoutMs?: number;
  /** Extra attempts for retryable failures of idempotent calls; default 2. */
  retries?: number;
  fetch?: typeof fetch;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  tracer?: Tracer;
  /** Told about every HTTP request to the IM (each retry is one), e.g. to record metrics. */
  observer?: ImCallObserver;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface ImClient {
  getVersion(opts?: { signal?: AbortSignal }): Promise<string>;
  createInfrastructure(
    ctx: ImCallContext,
    tosca: string,
    opts?: { async?: boolean },
  ): Promise<CreatedInfrastructure>;
  listInfrastructures(ctx: ImCallContext, opts?: { filter?: string }): Promise<string[]>;
  getState(ctx: ImCallContext, infId: string): Promise<InfraState>;
  listVms(ctx: ImCallContext, infId: string): Promise<string[]>;
  getVmInfo(ctx: ImCallContext, infId: string, vmId: string): Promise<VmInfo>;
  getContmsg(ctx: ImCallContext, infId: string, opts?: { headerOnly?: boolean }): Promise<string>;
  getOutputs(ctx: ImCallContext, infId: string): Promise<Record<string, unknown>>;
  startVm(ctx: ImCallContext, infId: string, vmId: string): Promise<void>;
  stopVm(ctx: ImCallContext, infId: string, vmId: string): Promise<void>;
  rebootVm(ctx: ImCallContext, infId: string, vmId: string): Promise<void>;
  /** POST the (partial) TOSCA to merge; resolves to the ids of the VMs it created. */
  updateInfrastructure(
    ctx: ImCallContext,
    infId: string,
    tosca: string,
    opts?: { context?: boolean },
  ): Promise<string[]>;
  removeVms(
    ctx: ImCallContext,
    infId: string,
    vmIds: readonly string[],
    opts?: { context?: boolean },
  ): Promise<void>;
  destroyInfrastructure(
    ctx: ImCallContext,
    infId: string,
    opts?: { force?: boolean; async?: boolean },
  ): Promise<void>;
}
