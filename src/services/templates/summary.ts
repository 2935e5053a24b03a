import { deploymentType, deriveResources, inputsForForm, type FormInput, type ParsedTemplate, type ToscaIssue } from '../../tosca/index.js';

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

/** Template metadata a stored row takes from the TOSCA document. */
export function metadataFields(t: ParsedTemplate): { templateName?: string; version?: string; targetProviderType: string } {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
  return {
    templateName: text(t.metadata.template_name),
    version: text(t.metadata.template_version),
    targetProviderType: text(t.metadata.target_provider_type) ?? 'openstack',
  };
}
