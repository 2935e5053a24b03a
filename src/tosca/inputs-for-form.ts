import { MASK } from './secrets.js';
import type { EntrySchema, FormInput, ParsedTemplate } from './types.js';

/** The declared inputs in template order, for a dashboard to render a form (secret defaults are masked). */
export function inputsForForm(t: ParsedTemplate): FormInput[] {
  return Object.entries(t.inputs).map(([name, def]) => {
    const input: FormInput = {
      name,
      type: def.type,
      required: def.required,
      constraints: def.constraints.map((c) => ({ [c.operator]: c.value })),
      secret: def.secret,
    };
    if (def.description !== undefined) input.description = def.description;
    if (def.default !== undefined) input.default = def.secret ? MASK : def.default;
    if (def.entry_schema !== undefined) input.entry_schema = formEntrySchema(def.entry_schema);
    return input;
  });
}

/** The schema without the data type fields the engine checks values with; a form names the type instead. */
function formEntrySchema(schema: EntrySchema): Omit<EntrySchema, 'fields'> {
  const { fields: _fields, ...shown } = schema;
  return shown.entry_schema ? { ...shown, entry_schema: formEntrySchema(shown.entry_schema) } : shown;
}
