import { deploymentType, deriveResources, inputsForForm, type FormInput, type ParsedTemplate, type ToscaIssue } from '../../tosca/index.js';
import type { FieldError } from '../errors.js';
import { issueToField } from './issue-field.js';

/** What reads need from a template without parsing it again; stored as the row's `summary`. */
export interface TemplateSummary {
  deployment_type: string;
  inputs: FormInput[];
  resources: Array<{ name: string; type: string; ancestry: string[]; required_by: string[]; is_compute: boolean; count: number }>;
  outputs: string[];
  warnings: ToscaIssue[];
}

export function summarizeTemplate(t: ParsedTemplate, warnings: ToscaIssue[]): TemplateSummary {
  return {
    deployment_type: deploymentType(t),
    inputs: inputsForForm(t),
    resources: deriveResources(t).map((r) => ({
      name: r.name,
      type: r.type,
      ancestry: r.ancestry,
      required_by: r.requiredBy,
      is_compute: r.isCompute,
      count: r.count,
    })),
    outputs: Object.keys(t.outputs),
    warnings,
  };
}

// jsonb has no schema: an entry that is not an issue is skipped rather than failing the read.
const isIssue = (w: unknown): w is ToscaIssue =>
  typeof w === 'object' && w !== null && typeof (w as ToscaIssue).message === 'string' && typeof (w as ToscaIssue).path === 'string';

/** The stored warnings as the API shows them; converted on read, so rows stored before keep working, and one without any has none. */
export function summaryWarnings(summary: unknown): FieldError[] {
  const stored = (summary as Partial<TemplateSummary> | null)?.warnings;
  return Array.isArray(stored) ? stored.filter(isIssue).map(issueToField) : [];
}

/** Template metadata a stored row takes from the TOSCA document. */
export function metadataFields(t: ParsedTemplate): { templateName?: string; version?: string; targetProviderType: string } {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
  return {
    templateName: text(t.metadata.template_name),
    version: text(t.metadata.template_version),
    targetProviderType: text(t.metadata.target_provider_type) ?? 'openstack',
  };
}
