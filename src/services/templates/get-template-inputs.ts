import type { Database } from '../../db/database.js';
import type { FormInput, ToscaEngine } from '../../tosca/index.js';
import { inputsForForm } from '../../tosca/index.js';
import { getTemplate } from './get-template.js';
import type { TemplateSummary } from './summary.js';

/** The declared inputs of a template, for a form; read from the stored summary, parsed again only if it lacks them. */
export async function getTemplateInputs(deps: { db: Database; tosca: ToscaEngine }, id: string): Promise<FormInput[]> {
  const row = await getTemplate(deps.db, id);
  const stored = (row.summary as Partial<TemplateSummary> | null)?.inputs;
  if (Array.isArray(stored)) return stored;
  const parsed = await deps.tosca.parse(row.content);
  return parsed.ok ? inputsForForm(parsed.template) : [];
}
