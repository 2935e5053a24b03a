import type { Database } from '../../db/database.js';
import { insertTemplate } from '../../db/templates-repo.js';
import type { ToscaEngine } from '../../tosca/index.js';
import { ConflictError, ServiceError, ValidationError, type FieldError } from '../errors.js';
import { containsLoneSurrogate, containsNul } from '../contains-nul.js';
import { sha256Hex } from './checksum.js';
import { issueToField } from './issue-field.js';
import { metadataFields, summarizeTemplate } from './summary.js';

export interface AddTemplateInput {
  content: string;
  name?: string;
}

/** A stored template: its id and what the engine accepted leniently or ignored in it. */
export interface AddedTemplate {
  id: string;
  warnings: FieldError[];
}

/** Refuses a template over the size limit before any parsing is spent on it. */
function assertTemplateSize(content: string, maxBytes: number | undefined): void {
  // Three UTF-8 bytes at most per UTF-16 unit: short templates need no encoding to pass.
  if (maxBytes === undefined || content.length * 3 <= maxBytes) return;
  const bytes = new TextEncoder().encode(content).byteLength;
  if (bytes <= maxBytes) return;
  throw new ServiceError('PAYLOAD_TOO_LARGE', `The template is ${bytes} bytes; templates may be at most ${maxBytes} bytes`, {
    errors: [{ loc: ['body', 'content'], msg: `must be at most ${maxBytes} bytes (UTF-8)` }],
  });
}

/**
 * Stores a TOSCA template after parsing it. The name comes from `metadata.template_name` or from the
 * request, never both; the same content twice is a conflict naming the stored template. One over
 * `settings.templateMaxBytes` is refused (413) before it is parsed. The warnings are stored with it (in the summary).
 */
export async function addTemplate(
  deps: { db: Database; tosca: ToscaEngine; settings?: { templateMaxBytes?: number } },
  callerId: string,
  input: AddTemplateInput,
): Promise<AddedTemplate> {
  assertTemplateSize(input.content, deps.settings?.templateMaxBytes);
  const parsed = await deps.tosca.parse(input.content);
  if (!parsed.ok) {
    const errors = parsed.errors.map(issueToField);
    throw new ValidationError(`The template is not valid TOSCA: ${errors.map((e) => e.msg).join('; ')}`, errors);
  }
  const meta = metadataFields(parsed.template);
  if (meta.templateName !== undefined && input.name !== undefined) {
    throw new ValidationError('Give the template name either in metadata.template_name or in the request name, not both', [
      { loc: ['body', 'name'], msg: `the template already names itself ${JSON.stringify(meta.templateName)} in metadata.template_name` },
    ]);
  }
  const name = meta.templateName ?? input.name;
  if (name === undefined) {
    throw new ValidationError('The template has no metadata.template_name; give a name in the request', [
      { loc: ['body', 'name'], msg: 'required when the template has no metadata.template_name' },
    ]);
  }
  const row = {
    content: input.content,
    checksum: await sha256Hex(input.content),
    name,
    version: meta.version ?? null,
    targetProviderType: meta.targetProviderType,
    toscaDefinitionVersion: parsed.template.toscaDefinitionsVersion,
    summary: summarizeTemplate(parsed.template, parsed.warnings),
    createdBy: callerId,
  };
  // A YAML "\0" escape yields U+0000, which Postgres text and jsonb cannot store.
  if (containsNul(row)) {
    throw new ValidationError('The template contains a NUL character (e.g. a "\\0" escape), which cannot be stored', [
      { loc: ['body', 'content'], msg: 'must not contain NUL characters' },
    ]);
  }
  // A YAML "\ud800" escape yields half a surrogate pair, which jsonb (the summary) cannot store.
  if (containsLoneSurrogate(row)) {
    throw new ValidationError('The template contains an unpaired surrogate (e.g. a "\\ud800" escape), which cannot be stored', [
      { loc: ['body', 'content'], msg: 'must not contain unpaired surrogates' },
    ]);
  }
  const outcome = await insertTemplate(deps.db, row);
  if ('kind' in outcome) {
    const why =
      outcome.kind === 'duplicate-content'
        ? `A template with the same content already exists: ${outcome.id}`
        : `Template ${name} version ${meta.version} already exists: ${outcome.id}`;
    throw new ConflictError(why, { id: outcome.id });
  }
  return { id: outcome.id, warnings: row.summary.warnings.map(issueToField) };
}
