import fc from 'fast-check';
import { hostileTemplate } from './hostile-templates.js';
import { hostileString, hostileValue } from './hostile-values.js';

/** The slice of JSON Schema the OpenAPI document (and the legacy request shapes) use. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

/** Ids that exist (so a request can reach the handler); read at generation time, as fixtures come and go. */
export interface KnownIds {
  ids: string[];
}

export const knownId = (known: KnownIds): fc.Arbitrary<string> => fc.nat().map((n) => known.ids[n % known.ids.length]!);

/** Template input names the fixtures declare, so inputs reach type checks rather than "unknown input". */
const INPUT_NAMES = ['vm_count', 'admin_password', 'num_cpus'];

const URLS = ['https://example.org/cb', 'http://127.0.0.1:1/x', 'http://169.254.169.254/latest/meta-data', 'ftp://example.org/x', 'javascript:alert(1)', 'https://', 'https://ex ample.org'];

export function schemaValues(schema: JsonSchema, known: KnownIds, resolve: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  const of = (s: JsonSchema): fc.Arbitrary<unknown> => schemaValues(s, known, resolve);
  if (schema.$ref) return of(resolve(schema.$ref));
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map(of));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => of({ ...schema, type })));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000;
      const max = schema.maximum ?? Math.max(min, 1_000) + 1_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min - 1, max + 1, min + 0.5));
    }
    case 'string':
      if (schema.format === 'uuid') return fc.oneof(knownId(known), fc.uuid(), fc.uuid().map((u) => u.toUpperCase()));
      if (schema.format === 'uri') return fc.constantFrom(...URLS);
      if (schema.format === 'date-time') return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2024-02-30T00:00:00Z', '9999-12-31T23:59:59+99:00', '-000001-01-01T00:00:00Z'));
      return fc.oneof(
        fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }),
        fc.constant('x'.repeat((schema.maxLength ?? 1_024) + 1)),
      );
    case 'array':
      return fc.array(schema.items ? of(schema.items) : hostileValue, { maxLength: 3 });
    case 'object':
    default:
      return objectValues(schema, known, resolve);
  }
}

function objectValues(schema: JsonSchema, known: KnownIds, resolve: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (!props.length) return fc.dictionary(fc.oneof(fc.constantFrom(...INPUT_NAMES), fc.string({ maxLength: 8 })), hostileValue, { maxKeys: 4 });
  const fields = Object.fromEntries(props.map(([name, s]) => [name, fieldValues(name, s, known, resolve)]));
  const required = (schema.required ?? []).filter((r) => r in fields);
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.record(fields, { requiredKeys: required }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), hostileValue, { maxKeys: 2 }),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([anyFields, withRequired, extra, pick]) => (pick === 0 ? { ...withRequired, ...extra } : pick < 3 ? anyFields : withRequired));
}

/** A value for one field: mostly of its type, often hostile; TOSCA and inputs get their own hostile shapes. */
export function fieldValues(name: string, schema: JsonSchema, known: KnownIds, resolve: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  const typed = schemaValues(schema, known, resolve);
  if (name === 'content' || name === 'template') return fc.oneof({ arbitrary: hostileTemplate, weight: 3 }, { arbitrary: typed, weight: 1 }, { arbitrary: hostileValue, weight: 1 });
  return fc.oneof({ arbitrary: typed, weight: 3 }, { arbitrary: hostileValue, weight: 2 }, { arbitrary: hostileString, weight: 1 });
}
