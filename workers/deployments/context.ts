import { parseDocument } from 'yaml';
import type { DeploymentRow } from '../../src/db/deployments-repo.js';
import { StepFailure } from '../../src/services/deployments/im-context.js';

export { imContext, providerNamed, StepFailure } from '../../src/services/deployments/im-context.js';
import { pollDelayMs } from '../../src/domain/provider-plan.js';
import type { Provider } from '../../src/domain/provider-registry.js';
import { isImError } from '../../src/im/index.js';
import { DeferJob } from '../../src/queue/processor.js';
import type { Services } from '../../src/services/services.js';
import { renderForIm, validateInputs } from '../../src/tosca/index.js';

/** The tag the IM list filter finds a deployment's infrastructures by (contract §5). */
export const DEPLOYMENT_TAG = 'PAAS_DEP_UUID';
export const ATTEMPT_TAG = 'PAAS_DEP_ATTEMPT';
export const attemptTag = (deploymentId: string, seq: number) => `${deploymentId}/${seq}`;

/** The template for the IM on this provider, tagged so the deployment's infrastructures can be found. */
export async function renderTemplate(
  s: Services,
  row: DeploymentRow,
  provider: Provider,
  regionName: string | null,
  tags: Record<string, string>,
  sshKeys: string[] = [],
): Promise<string> {
  const parsed = await s.tosca.parse(row.templateContent ?? '');
  if (!parsed.ok) throw new StepFailure(`the stored template does not parse: ${parsed.errors[0]?.message}`);
  const inputs = validateInputs(parsed.template, row.templateInputs);
  if (!inputs.ok) throw new StepFailure(`the inputs are not valid: ${inputs.errors.map((e) => e.message).join('; ')}`);
  const region = provider.regions.find((r) => r.name === regionName) ?? provider.regions[0];
  let yaml: string;
  try {
    yaml = renderForIm(parsed.template, inputs.values, { provider: provider.name, region: region.name, images: region.images, flavours: region.flavours });
  } catch (err) {
    throw new StepFailure((err as Error).message);
  }
  const doc = parseDocument(yaml, { version: '1.1' });
  for (const [k, v] of Object.entries(tags)) doc.setIn(['metadata', 'tags', k], v);
  if (sshKeys.length) doc.setIn(['metadata', 'authorized_keys'], sshKeys);
  return doc.toString({ lineWidth: 0 });
}

/** A step's line in the deployment log, published in batches off the step's path. */
export function logStep(s: Services, deploymentId: string, line: string): void {
  s.logs.publish(deploymentId, line);
}

/** Waiting on the IM: run the same job again later. */
export function waitFor(ms: number): never {
  throw new DeferJob(ms);
}

export function pollDelay(s: Services, pollIndex: number): number {
  return pollDelayMs(pollIndex, s.poll.baseMs, s.poll.maxMs);
}

/** Errors worth waiting out (IM busy, network, unknown outcome) rather than failing the attempt. */
export function isTransient(err: unknown): boolean {
  return isImError(err) && (err.retryable || err.outcomeUnknown);
}

export function describe(err: unknown): string {
  if (isImError(err)) return err.imMessage ? `${err.message}: ${err.imMessage}` : err.message;
  return err instanceof Error ? err.message : String(err);
}
