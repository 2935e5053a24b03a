import { trace, type Attributes } from '@opentelemetry/api';
import type { Job } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

/** Produce and process spans for a Queue or Worker; jobs carry the producer's trace context to the worker. */
export function jobTelemetry(): BullMQOtel {
  return new BullMQOtel({ tracerName: 'orchestrator.jobs' });
}

function idField(data: unknown, field: string): string | undefined {
  const value = data && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Completes BullMQ's process span (the active one) with the messaging names and what the job is about. */
export function annotateJobSpan(queue: string, job: Pick<Job, 'id' | 'name' | 'data' | 'attemptsMade'>): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const attributes: Attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': queue,
    'orchestrator.job.name': job.name,
    'orchestrator.job.attempts_made': job.attemptsMade,
  };
  if (job.id !== undefined) attributes['messaging.message.id'] = job.id;
  const deploymentId = idField(job.data, 'deploymentId');
  if (deploymentId) attributes['orchestrator.deployment_id'] = deploymentId;
  const resourceId = idField(job.data, 'resourceId');
  if (resourceId) attributes['orchestrator.resource_id'] = resourceId;
  span.setAttributes(attributes);
}

/** Marks the process span of a step that waits on the IM: the same job runs again after `delayMs`. */
export function noteJobDeferred(delayMs: number): void {
  trace.getActiveSpan()?.setAttribute('orchestrator.job.deferred_ms', delayMs);
}
