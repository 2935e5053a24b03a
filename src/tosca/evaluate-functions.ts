import { argList, asFunctionCall, getInputName, indexInto } from './functions.js';
import { hostChain } from './host-chain.js';
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
  /** The node SELF refers to (the source node inside a relationship); HOST starts from its host. */
  self?: string;
  /** The node TARGET refers to, inside a relationship; SOURCE is then `self`. */
  target?: string;
}

/** The nodes the keywords refer to where a value is evaluated: a node template, or a relationship of one. */
interface Scope {
  self?: string;
  target?: string;
}

/**
 * Evaluates every intrinsic function inside `value`. Attributes without a runtime value fall back to the
 * property of that name and then to null; inputs without a value, unknown nodes and properties, keywords used
 * where they have no meaning, and circular get_property chains throw EvaluationError. HOST searches the nodes
 * along the `host` requirements, nearest first, down to the Compute node, for the first that has the
 * attribute or property.
 */
export function evaluateValue(value: unknown, ctx: EvaluationContext): unknown {
  return new Evaluator(ctx).eval(value, { self: ctx.self, target: ctx.target }, []);
}

/** Longest get_property chain, and deepest nesting of values and calls, before evaluation gives up. */
const MAX_CHAIN = 64;
const MAX_NESTING = 512;

class Evaluator {
  /** Each property is evaluated once per evaluation, so properties reused many times stay linear. */
  private readonly resolved = new Map<string, unknown>();
  private nesting = 0;

  constructor(private readonly ctx: EvaluationContext) {}

  eval(value: unknown, scope: Scope, stack: string[]): unknown {
    if (this.nesting >= MAX_NESTING) {
      throw new EvaluationError(`the value nests functions or collections more than ${MAX_NESTING} levels deep`);
    }
    this.nesting++;
    try {
      return this.evalNested(value, scope, stack);
    } finally {
      this.nesting--;
    }
  }

  private evalNested(value: unknown, scope: Scope, stack: string[]): unknown {
    const call = asFunctionCall(value);
    if (call) return this.call(call.name, call.args, scope, stack);
    if (Array.isArray(value)) return value.map((v) => this.eval(v, scope, stack));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.eval(v, scope, stack);
      return out;
    }
    return value;
  }

  private call(name: string, args: unknown, scope: Scope, stack: string[]): unknown {
    switch (name) {
      case 'get_input':
        return this.getInput(args);
      case 'get_property':
        return this.getProperty(args, scope, stack);
      case 'get_attribute':
        return this.getAttribute(args, scope, stack);
      case 'concat': {
        const parts = argList(args).map((a) => this.eval(a, scope, stack));
        if (parts.some((p) => p === null || p === undefined)) return null;
        return parts.map(text).join('');
      }
      case 'join': {
        const [list, delimiter] = argList(args).map((a) => this.eval(a, scope, stack));
        if (!Array.isArray(list)) throw new EvaluationError('join needs a list of strings');
        if (list.some((p) => p === null || p === undefined)) return null;
        return list.map(text).join(typeof delimiter === 'string' ? delimiter : '');
      }
      case 'token': {
        const [subject, chars, index] = argList(args).map((a) => this.eval(a, scope, stack));
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
    const value = ownValue(this.ctx.values, name) ?? ownValue(this.ctx.template.inputs, name)?.default;
    if (value === undefined) {
      throw new EvaluationError(`No input provided for <${name}> and no default value provided in the definition`);
    }
    return Array.isArray(args) ? indexInto(value, args.slice(1)) : value;
  }

  /** The nodes to search, in order: one node, or for HOST every node below the scope's node. */
  private candidates(entity: unknown, scope: Scope, fn: string): NodeTemplate[] {
    if (entity === 'SELF' || entity === 'HOST') {
      if (scope.self === undefined) throw new EvaluationError(`${fn} uses ${entity}, which only has a meaning inside a node template`);
      if (entity === 'SELF') return [this.named(scope.self, entity, fn)];
      const hosts = hostChain(this.ctx.template, scope.self);
      if (!hosts.length) throw new EvaluationError(`${fn} uses HOST, but node template ${scope.self} is not hosted on another node`);
      return hosts.map((name) => this.named(name, entity, fn));
    }
    if (entity === 'SOURCE' || entity === 'TARGET') {
      const name = scope.target === undefined ? undefined : entity === 'SOURCE' ? scope.self : scope.target;
      if (name === undefined) throw new EvaluationError(`${fn} uses ${entity}, which only has a meaning inside a relationship`);
      return [this.named(name, entity, fn)];
    }
    return [this.named(typeof entity === 'string' ? entity : undefined, entity, fn)];
  }

  private named(name: string | undefined, entity: unknown, fn: string): NodeTemplate {
    const node = ownValue(this.ctx.template.nodeTemplates, name);
    if (!node) throw new EvaluationError(`${fn} refers to ${JSON.stringify(entity)}, which is not a node template of this topology`);
    return node;
  }

  private getProperty(args: unknown, scope: Scope, stack: string[]): unknown {
    const [entity, ...path] = argList(args);
    const nodes = this.candidates(entity, scope, 'get_property');
    for (const node of nodes) {
      const found = this.lookupProperty(node, path, stack);
      if (found) return found.value;
    }
    const what = path.map(String).join('.');
    if (entity === 'HOST') throw new EvaluationError(`no node hosting ${scope.self} has a property ${what}`);
    throw new EvaluationError(`node template ${nodes[0].name} has no property ${what}`);
  }

  /** Node properties first, then capability properties (`[cap, prop]`), type defaults, then a requirement's target. */
  private lookupProperty(node: NodeTemplate, path: unknown[], stack: string[]): { value: unknown } | undefined {
    const [first, second, ...more] = path;
    if (typeof first !== 'string') return undefined;
    const resolve = (names: string[], raw: unknown, rest: unknown[]) => {
      const key = names.join('.');
      if (stack.includes(key)) throw new EvaluationError(`circular reference: ${[...stack, key].join(' → ')}`);
      if (stack.length >= MAX_CHAIN) throw new EvaluationError(`get_property chain longer than ${MAX_CHAIN} at ${key}`);
      const cacheKey = JSON.stringify(names);
      if (!this.resolved.has(cacheKey)) this.resolved.set(cacheKey, this.eval(raw, { self: node.name }, [...stack, key]));
      return { value: indexInto(this.resolved.get(cacheKey), rest) };
    };
    if (Object.hasOwn(node.properties, first)) return resolve([node.name, first], node.properties[first], path.slice(1));
    const cap = ownValue(node.capabilities, first);
    if (cap && typeof second === 'string' && Object.hasOwn(cap.properties, second)) {
      return resolve([node.name, first, second], cap.properties[second], more);
    }
    if (Object.hasOwn(node.propertyDefaults, first)) return { value: indexInto(node.propertyDefaults[first], path.slice(1)) };
    const target = node.requirements.find((r) => r.name === first)?.node;
    const targetNode = ownValue(this.ctx.template.nodeTemplates, target);
    return targetNode && path.length > 1 ? this.lookupProperty(targetNode, path.slice(1), stack) : undefined;
  }

  private getAttribute(args: unknown, scope: Scope, stack: string[]): unknown {
    const [entity, ...path] = argList(args);
    for (const node of this.candidates(entity, scope, 'get_attribute')) {
      const first = path[0];
      const attr = typeof first === 'string' ? ownValue(ownValue(this.ctx.attributes, node.name) ?? {}, first) : undefined;
      if (attr !== undefined) return indexInto(attr, path.slice(1)) ?? null;
      const property = this.lookupProperty(node, path, stack);
      if (property) return property.value ?? null;
    }
    return null;
  }
}

/** A record's own entry, so names such as `constructor` never reach Object.prototype. */
function ownValue<T>(record: Record<string, T>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
