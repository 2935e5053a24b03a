import { argList, asFunctionCall, getInputName, indexInto } from './functions.js';
import { isPlainObject } from './plain.js';
import type { NodeTemplate, ParsedTemplate } from './types.js';

export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

export interface EvaluationContext {
  template: ParsedTemplate;
  values: Record<string, unknown>;
  /** Runtime attributes per node name (public_address, private_address, endpoint, …). */
  attributes: Record<string, Record<string, unknown>>;
  /** The node SELF (and SOURCE) refers to. */
  self?: string;
  /** The node TARGET refers to, inside a relationship. */
  target?: string;
}

/**
 * Evaluates every intrinsic function inside `value`. Attributes without a runtime value fall back to the
 * property of that name and then to null; inputs without a value, unknown nodes and properties, and circular
 * get_property chains throw EvaluationError.
 */
export function evaluateValue(value: unknown, ctx: EvaluationContext): unknown {
  return new Evaluator(ctx).eval(value, ctx.self, []);
}

class Evaluator {
  constructor(private readonly ctx: EvaluationContext) {}

  eval(value: unknown, self: string | undefined, stack: string[]): unknown {
    const call = asFunctionCall(value);
    if (call) return this.call(call.name, call.args, self, stack);
    if (Array.isArray(value)) return value.map((v) => this.eval(v, self, stack));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.eval(v, self, stack);
      return out;
    }
    return value;
  }

  private call(name: string, args: unknown, self: string | undefined, stack: string[]): unknown {
    switch (name) {
      case 'get_input':
        return this.getInput(args);
      case 'get_property':
        return this.getProperty(args, self, stack);
      case 'get_attribute':
        return this.getAttribute(args, self, stack);
      case 'concat': {
        const parts = argList(args).map((a) => this.eval(a, self, stack));
        if (parts.some((p) => p === null || p === undefined)) return null;
        return parts.map(text).join('');
      }
      case 'join': {
        const [list, delimiter] = argList(args).map((a) => this.eval(a, self, stack));
        if (!Array.isArray(list)) throw new EvaluationError('join needs a list of strings');
        if (list.some((p) => p === null || p === undefined)) return null;
        return list.map(text).join(typeof delimiter === 'string' ? delimiter : '');
      }
      case 'token': {
        const [subject, chars, index] = argList(args).map((a) => this.eval(a, self, stack));
        if (subject === null || subject === undefined) return null;
        if (typeof chars !== 'string' || !chars || !Number.isInteger(index)) {
          throw new EvaluationError('token needs [string, separator, index]');
        }
        return text(subject).split(chars)[index as number] ?? null;
      }
      default:
        throw new EvaluationError(`${name} cannot be evaluated here`);
    }
  }

  private getInput(args: unknown): unknown {
    const name = getInputName(args);
    if (name === undefined) throw new EvaluationError('get_input needs the name of an input');
    const value = this.ctx.values[name] ?? this.ctx.template.inputs[name]?.default;
    if (value === undefined) {
      throw new EvaluationError(`No input provided for <${name}> and no default value provided in the definition`);
    }
    return Array.isArray(args) ? indexInto(value, args.slice(1)) : value;
  }

  private node(entity: unknown, self: string | undefined, fn: string): NodeTemplate {
    const nodes = this.ctx.template.nodeTemplates;
    const name =
      entity === 'SELF' || entity === 'SOURCE' ? self : entity === 'HOST' ? this.hostOf(self) : entity === 'TARGET' ? this.ctx.target : entity;
    const node = typeof name === 'string' ? nodes[name] : undefined;
    if (!node) throw new EvaluationError(`${fn} refers to ${JSON.stringify(entity)}, which is not a node template of this topology`);
    return node;
  }

  private hostOf(name: string | undefined): string | undefined {
    const node = name === undefined ? undefined : this.ctx.template.nodeTemplates[name];
    return node?.requirements.find((r) => r.name === 'host')?.node;
  }

  private getProperty(args: unknown, self: string | undefined, stack: string[]): unknown {
    const [entity, ...path] = argList(args);
    const node = this.node(entity, self, 'get_property');
    const found = this.lookupProperty(node, path, stack);
    if (!found) throw new EvaluationError(`node template ${node.name} has no property ${path.map(String).join('.')}`);
    return found.value;
  }

  /** Node properties first, then capability properties (`[cap, prop]`), type defaults, then a requirement's target. */
  private lookupProperty(node: NodeTemplate, path: unknown[], stack: string[]): { value: unknown } | undefined {
    const [first, second, ...more] = path;
    if (typeof first !== 'string') return undefined;
    const resolve = (key: string, raw: unknown, rest: unknown[]) => {
      if (stack.includes(key)) throw new EvaluationError(`circular reference: ${[...stack, key].join(' → ')}`);
      return { value: indexInto(this.eval(raw, node.name, [...stack, key]), rest) };
    };
    if (first in node.properties) return resolve(`${node.name}.${first}`, node.properties[first], path.slice(1));
    const cap = node.capabilities[first];
    if (cap && typeof second === 'string' && second in cap.properties) {
      return resolve(`${node.name}.${first}.${second}`, cap.properties[second], more);
    }
    if (first in node.propertyDefaults) return { value: indexInto(node.propertyDefaults[first], path.slice(1)) };
    const target = node.requirements.find((r) => r.name === first)?.node;
    const targetNode = target === undefined ? undefined : this.ctx.template.nodeTemplates[target];
    return targetNode && path.length > 1 ? this.lookupProperty(targetNode, path.slice(1), stack) : undefined;
  }

  private getAttribute(args: unknown, self: string | undefined, stack: string[]): unknown {
    const [entity, ...path] = argList(args);
    const node = this.node(entity, self, 'get_attribute');
    const attrs = this.ctx.attributes[node.name] ?? {};
    const first = path[0];
    if (typeof first === 'string' && attrs[first] !== undefined) return indexInto(attrs[first], path.slice(1)) ?? null;
    return this.lookupProperty(node, path, stack)?.value ?? null;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
