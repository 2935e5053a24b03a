import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Pair } from 'yaml';
import { isSecretInput, isSecretInputName } from '../tosca/secrets.js';
import { isPlainObject } from '../tosca/plain.js';
import { MASK, redactText } from './redact-text.js';

const NOT_SECRET_NAMES = new Set(['token_type']);
const FUNCTION_KEYS = new Set(['get_input', 'get_property', 'get_attribute', 'concat', 'token', 'join', 'get_artifact']);
const DEFINITION_VALUE_KEYS = new Set(['default', 'value']);

function isSecretName(name: unknown): boolean {
  return typeof name === 'string' && !NOT_SECRET_NAMES.has(name) && isSecretInputName(name);
}

function keyOf(pair: Pair<unknown, unknown>): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function isFunctionCall(node: unknown): boolean {
  return isMap(node) && node.items.some((p) => FUNCTION_KEYS.has(String(keyOf(p))));
}

/** Masks every scalar below `node`; an alias masks the node it names, so the anchored copy is masked too. */
function maskScalarsIn(doc: Document, node: unknown, seen = new Set<unknown>()): void {
  if (seen.has(node)) return;
  seen.add(node);
  if (isAlias(node)) maskScalarsIn(doc, node.resolve(doc), seen);
  else if (isScalar(node)) {
    if (node.value !== null && node.value !== '') node.value = MASK;
  } else if (isSeq(node)) {
    for (const item of node.items) maskScalarsIn(doc, item, seen);
  } else if (isMap(node) && !isFunctionCall(node)) {
    for (const p of node.items) maskScalarsIn(doc, p.value, seen);
  }
}

/** A secret property's value, or a secret input definition's `default`/`value`; function calls stay readable. */
function maskSecretPair(doc: Document, pair: Pair<unknown, unknown>): void {
  const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
  if (!isMap(value)) {
    maskScalarsIn(doc, pair.value);
    return;
  }
  if (isFunctionCall(value)) return;
  for (const p of value.items) {
    if (DEFINITION_VALUE_KEYS.has(String(keyOf(p)))) maskScalarsIn(doc, p.value);
  }
}

/** Inputs flagged `metadata.sensitive` (or `secret`) whatever their name. */
function maskFlaggedInputs(doc: Document): void {
  const inputs = doc.getIn(['topology_template', 'inputs'], true);
  if (!isMap(inputs)) return;
  for (const pair of inputs.items) {
    const def = pair.value;
    const metadata = isMap(def) ? def.get('metadata') : undefined;
    const plain = isMap(metadata) ? metadata.toJSON() : undefined;
    const name = String(keyOf(pair as Pair<unknown, unknown>));
    if (isPlainObject(plain) && isSecretInput(name, plain)) maskSecretPair(doc, pair as Pair<unknown, unknown>);
  }
}

/**
 * Masks secret-looking inputs and properties (values, input defaults, what their aliases name), inputs flagged
 * sensitive, and any PEM key or JWT in a TOSCA document; formatting is kept. Text that is not YAML is redacted
 * as free text.
 */
export function redactTosca(tosca: string): string {
  const doc = parseDocument(tosca, { version: '1.1', uniqueKeys: false, keepSourceTokens: false });
  if (doc.errors.length > 0) return redactText(tosca);
  maskFlaggedInputs(doc);
  visit(doc, {
    Pair(_key, pair) {
      if (isSecretName(keyOf(pair as Pair<unknown, unknown>))) maskSecretPair(doc, pair as Pair<unknown, unknown>);
    },
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value !== MASK) {
        const redacted = redactText(node.value);
        if (redacted !== node.value) node.value = redacted;
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
