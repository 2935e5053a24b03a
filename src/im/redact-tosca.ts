import { isMap, isScalar, isSeq, parseDocument, visit, type Pair } from 'yaml';
import { MASK, redactText } from './redact-text.js';

const SECRET_NAME = /password|passwd|passphrase|secret|token|private_key|access_key|api_key/i;
const NOT_SECRET_NAMES = new Set(['token_type']);
const FUNCTION_KEYS = new Set(['get_input', 'get_property', 'get_attribute', 'concat', 'token', 'join', 'get_artifact']);
const DEFINITION_VALUE_KEYS = new Set(['default', 'value']);

function isSecretName(name: unknown): boolean {
  return typeof name === 'string' && !NOT_SECRET_NAMES.has(name) && SECRET_NAME.test(name);
}

function maskScalarsIn(node: unknown): void {
  if (isScalar(node)) {
    if (node.value !== null && node.value !== '') node.value = MASK;
  } else if (isSeq(node)) {
    node.items.forEach(maskScalarsIn);
  }
}

function maskSecretPair(pair: Pair<unknown, unknown>): void {
  const value = pair.value;
  if (isScalar(value) || isSeq(value)) {
    maskScalarsIn(value);
    return;
  }
  if (!isMap(value)) return;
  const keys = value.items.map((p) => (isScalar(p.key) ? p.key.value : p.key));
  if (keys.some((k) => typeof k === 'string' && FUNCTION_KEYS.has(k))) return;
  for (const p of value.items) {
    const k = isScalar(p.key) ? p.key.value : p.key;
    if (typeof k === 'string' && DEFINITION_VALUE_KEYS.has(k)) maskScalarsIn(p.value);
  }
}

/**
 * Masks secret-looking inputs and properties (values, input defaults) and any PEM key or JWT in a
 * TOSCA document; formatting is kept. Text that is not YAML is redacted as free text.
 */
export function redactTosca(tosca: string): string {
  const doc = parseDocument(tosca, { version: '1.1', uniqueKeys: false, keepSourceTokens: false });
  if (doc.errors.length > 0) return redactText(tosca);
  visit(doc, {
    Pair(_key, pair) {
      const name = isScalar(pair.key) ? pair.key.value : pair.key;
      if (isSecretName(name)) maskSecretPair(pair as Pair<unknown, unknown>);
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
