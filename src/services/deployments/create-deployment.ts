import { findIdempotentAnswer, insertDeployment, type NewResource } from '../../db/deployments-repo.js';
import { findTemplateById } from '../../db/templates-repo.js';
import { DEPLOYMENT_STATUS } from '../../domain/deployment-status.js';
import { DEPLOYMENT_TASK } from '../../domain/deployment-task.js';
import { rankProviders } from '../../domain/provider-registry.js';
import { RESOURCE_STATUS } from '../../domain/resource-status.js';
import { deriveResources, validateInputs, type ParsedTemplate } from '../../tosca/index.js';
import { containsLoneSurrogate, containsNul } from '../contains-nul.js';
import { nestsDeeperThan } from '../json-depth.js';
import { sha256Hex } from '../templates/checksum.js';
import { announceStatus } from '../events/announce.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import type { Services } from '../services.js';
import type { Caller } from './access.js';
import { enqueueOperation } from './enqueue-operation.js';

export interface CreateDeploymentInput {
  templateId: string;
  templateInputs: Record<string, unknown>;
  userGroup?: string;
  maxProviders: number | null;
  perProviderMaxRetries: number;
  totTimeoutMins: number;
  perProviderTimeoutMins: number;
  keepLastAttempt: boolean;
  targetProvider?: string;
  targetRegion?: string;
  callback?: string;
}

export async function loadTemplate(s: Pick<Services, 'db' | 'tosca'>, templateId: string): Promise<{ content: string; template: ParsedTemplate }> {
  const row = await findTemplateById(s.db, templateId);
  if (!row) throw new ValidationError(`Template ${templateId} does not exist`, [{ loc: ['body', 'template_id'], msg: 'no such template' }]);
  const parsed = await s.tosca.parse(row.content);
  if (!parsed.ok) throw new ValidationError(`Template ${templateId} no longer parses`, [{ loc: ['body', 'template_id'], msg: parsed.errors[0]?.message ?? 'invalid' }]);
  return { content: row.content, template: parsed.template };
}

/** Deeper than any TOSCA value needs: past it, hashing, validating and storing the inputs would recurse without bound. */
export const MAX_INPUT_DEPTH = 32;

function assertInputsDepth(inputs: Record<string, unknown>): void {
  if (nestsDeeperThan(inputs, MAX_INPUT_DEPTH)) {
    throw new ValidationError(`Template inputs nest deeper than ${MAX_INPUT_DEPTH} levels`, [{ loc: ['body', 'template_inputs'], msg: `must nest at most ${MAX_INPUT_DEPTH} levels deep` }]);
  }
}

/** Every input error in one answer. */
export function checkInputs(t: ParsedTemplate, inputs: Record<string, unknown>): void {
  assertInputsDepth(inputs);
  const v = validateInputs(t, inputs);
  if (!v.ok) {
    throw new ValidationError(
      `The template inputs are not valid: ${v.errors.map((e) => e.message).join('; ')}`,
      v.errors.map((e) => ({ loc: ['body', 'template_inputs', ...(e.path && e.path !== 'inputs' ? [e.path.replace(/^inputs\./, '')] : [])], msg: e.message })),
    );
  }
  if (containsNul(inputs)) throw new ValidationError('Template inputs must not contain NUL characters', [{ loc: ['body', 'template_inputs'], msg: 'contains NUL' }]);
  if (containsLoneSurrogate(inputs)) {
    throw new ValidationError('Template inputs must not contain unpaired surrogates (e.g. a "\\ud800" escape)', [{ loc: ['body', 'template_inputs'], msg: 'contains an unpaired surrogate' }]);
  }
}

export function secretInputNames(t: ParsedTemplate): string[] {
  return Object.entries(t.inputs)
    .filter(([, i]) => i.secret)
    .map(([name]) => name);
}

export function initialResources(t: ParsedTemplate): NewResource[] {
  return deriveResources(t).flatMap((r) =>
    Array.from({ length: Math.max(1, r.count) }, () => ({
      toscaNodeName: r.name,
      toscaNodeType: r.type,
      typeAncestry: r.ancestry,
      requiredBy: r.requiredBy,
      status: RESOURCE_STATUS.INITIAL,
    })),
  );
}

function requestHash(input: CreateDeploymentInput): Promise<string> {
  return sha256Hex(JSON.stringify(input));
}

/**
 * Validates and stores a deployment with its owner and resources, then enqueues its create job. A
 * crash between the commit and the enqueue leaves a CREATE_IN_PROGRESS row the reconciler re-enqueues
 * under the same job id.
 */
export async function createDeployment(s: Services, caller: Caller, input: CreateDeploymentInput, idempotencyKey?: string): Promise<{ id: string; replayed: boolean }> {
  assertInputsDepth(input.templateInputs);
  const hash = await requestHash(input);
  if (idempotencyKey) {
    const seen = await findIdempotentAnswer(s.db, caller.userId, idempotencyKey);
    if (seen) {
      if (seen.requestHash !== hash) {
        throw new ValidationError('This Idempotency-Key was used with a different request body', [{ loc: ['header', 'Idempotency-Key'], msg: 'reused with another body' }]);
      }
      return { id: (seen.responseBody as { id: string }).id, replayed: true };
    }
  }
  const { content, template } = await loadTemplate(s, input.templateId);
  checkInputs(template, input.templateInputs);
  const { identity } = caller;
  if (input.userGroup !== undefined && !identity.groups.includes(input.userGroup) && !identity.isAdmin) {
    throw new ForbiddenError(`You are not a member of group ${input.userGroup}`);
  }
  const candidates = rankProviders(s.providers, { provider: input.targetProvider, region: input.targetRegion, userGroup: input.userGroup });
  if (!candidates.length) {
    const what = [input.targetProvider && `provider ${input.targetProvider}`, input.targetRegion && `region ${input.targetRegion}`].filter(Boolean).join(' / ');
    throw new ValidationError(`No provider ${what ? `matching ${what} ` : ''}is usable by ${input.userGroup ? `group ${input.userGroup}` : 'you'}`, [
      { loc: ['body', input.targetProvider ? 'target_provider' : 'user_group'], msg: 'no usable provider' },
    ]);
  }
  const id = crypto.randomUUID();
  const now = s.now();
  const inserted = await insertDeployment(
    s.db,
    {
      id,
      templateId: input.templateId,
      templateContent: content,
      templateInputs: input.templateInputs,
      secretInputs: secretInputNames(template),
      userGroup: input.userGroup ?? null,
      maxProviders: input.maxProviders,
      perProviderMaxRetries: input.perProviderMaxRetries,
      perProviderTimeoutMins: Math.min(input.perProviderTimeoutMins, input.totTimeoutMins),
      totTimeoutMins: input.totTimeoutMins,
      keepLastAttempt: input.keepLastAttempt,
      callback: input.callback ?? null,
      requestedProvider: input.targetProvider ?? null,
      requestedRegion: input.targetRegion ?? null,
      status: DEPLOYMENT_STATUS.CREATE_IN_PROGRESS,
      opSeq: 1,
      deadlineAt: new Date(now.getTime() + input.totTimeoutMins * 60_000),
      accessTokenEncrypted: await s.secrets.seal(identity.accessToken),
      createdAt: now,
      createdBy: caller.userId,
      updatedBy: caller.userId,
    },
    [caller.userId],
    initialResources(template),
    idempotencyKey ? { userId: caller.userId, key: idempotencyKey, requestHash: hash, responseStatus: 202, responseBody: { id } } : undefined,
  );
  if (!inserted) return createDeployment(s, caller, input, idempotencyKey);
  // Before the enqueue: the worker's first step must not be heard before the deployment exists.
  await announceStatus(s, { id, status: DEPLOYMENT_STATUS.CREATE_IN_PROGRESS, task: DEPLOYMENT_TASK.submitted, statusReason: null, updatedAt: now, version: 1 });
  await enqueueOperation(s.queue, 'create', id, 1);
  return { id, replayed: false };
}
