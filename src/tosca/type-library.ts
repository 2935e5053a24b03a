import { builtinTypeFile, NORMATIVE_SOURCE } from './builtin-types/index.js';
import { compactTypeFile } from './compact-type-file.js';
import { formatPath } from './issues.js';
import { candidateSources, isRemoteUrl, readImports } from './import-urls.js';
import type { TypeFile } from './type-definitions.js';
import { TypeScope } from './type-scope.js';
import type { ToscaEngineOptions } from './types.js';
import { parseYaml } from './yaml-source.js';

export interface LoadedTypeFile {
  /** Unique key: `local:<path>`, `builtin:<path>` or `remote:<url>`. */
  id: string;
  /** Path relative to the types folder, or the URL for fetched files. */
  source: string;
  remote: boolean;
  file: TypeFile;
  /** Lenient readings and ignored malformed parts of the file, each naming where in the file. */
  warnings: string[];
}

/** Distinct import sets kept indexed; remote imports could otherwise grow the cache without bound. */
const MAX_SCOPES = 256;

interface Chain {
  errors: string[];
  warnings: string[];
}

type LoadOutcome = { ok: true; file: LoadedTypeFile } | { ok: false; error: string };

/** The result of resolving a template's imports: files in load order (dependencies first). */
export interface ResolvedImports {
  files: LoadedTypeFile[];
  roots: Array<LoadedTypeFile | undefined>;
  errors: Array<{ index: number; message: string }>;
  warnings: Array<{ index: number; message: string }>;
}

/** Type files known to one engine: local overrides, the built-in registry and (optionally) fetched URLs. */
export class TypeLibrary {
  private readonly local = new Map<string, string>();
  private readonly loaded = new Map<string, LoadOutcome>();
  private readonly fetched = new Map<string, Promise<LoadOutcome>>();
  private readonly scopes = new Map<string, TypeScope>();
  readonly normative: LoadedTypeFile;
  readonly baseScope: TypeScope;

  constructor(private readonly options: ToscaEngineOptions) {
    for (const f of options.extraTypeFiles ?? []) this.local.set(normalizeSource(f.source), f.content);
    const normative = builtinTypeFile(NORMATIVE_SOURCE);
    if (!normative) throw new Error('built-in normative types are missing');
    this.normative = { id: `builtin:${NORMATIVE_SOURCE}`, source: NORMATIVE_SOURCE, remote: false, file: normative, warnings: [] };
    this.baseScope = new TypeScope([normative]);
  }

  async resolveImports(urls: string[]): Promise<ResolvedImports> {
    const files: LoadedTypeFile[] = [];
    const seen = new Set<string>([this.normative.id]);
    const roots: Array<LoadedTypeFile | undefined> = [];
    const errors: ResolvedImports['errors'] = [];
    const warnings: ResolvedImports['warnings'] = [];
    for (let index = 0; index < urls.length; index++) {
      const chain: Chain = { errors: [], warnings: [] };
      const root = await this.visit(urls[index], undefined, files, seen, chain, []);
      roots.push(root);
      for (const message of chain.errors) errors.push({ index, message });
      for (const message of chain.warnings) warnings.push({ index, message });
    }
    return { files, roots, errors, warnings };
  }

  /** The scope for a set of files, shared between parses that import the same files. */
  scopeFor(files: LoadedTypeFile[]): TypeScope {
    if (!files.length) return this.baseScope;
    const key = files.map((f) => f.id).join('\n');
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = new TypeScope(files.map((f) => f.file), this.baseScope);
      if (this.scopes.size >= MAX_SCOPES) this.scopes.delete(this.scopes.keys().next().value as string);
      this.scopes.set(key, scope);
    }
    return scope;
  }

  private async visit(
    url: string,
    importer: LoadedTypeFile | undefined,
    files: LoadedTypeFile[],
    seen: Set<string>,
    chain: Chain,
    trail: string[],
  ): Promise<LoadedTypeFile | undefined> {
    const outcome = await this.load(url, importer);
    const via = trail.length ? `${trail.join(' → ')} → ` : '';
    if (!outcome.ok) {
      chain.errors.push(`${via}${outcome.error}`);
      return undefined;
    }
    const file = outcome.file;
    if (seen.has(file.id)) return file;
    seen.add(file.id);
    for (const warning of file.warnings) chain.warnings.push(`${via}${file.source}: ${warning}`);
    const { refs, errors, warnings } = readImports(file.file.imports, file.file.repositories);
    for (const issue of errors) chain.errors.push(`${file.source}: ${issue.message}`);
    for (const issue of warnings) chain.warnings.push(`${via}${file.source}: ${issue.message}`);
    for (const ref of refs) await this.visit(ref.url, file, files, seen, chain, [...trail, file.source]);
    files.push(file);
    return file;
  }

  private async load(url: string, importer: LoadedTypeFile | undefined): Promise<LoadOutcome> {
    if (importer?.remote && !isRemoteUrl(url)) {
      const resolved = URL.canParse(url, importer.source) ? new URL(url, importer.source).href : undefined;
      if (resolved === undefined) return { ok: false, error: `cannot resolve import ${url}: it is not a valid URL relative to ${importer.source}` };
      return this.fetchRemote(resolved);
    }
    for (const source of candidateSources(url, importer?.source)) {
      const found = this.loadLocal(source) ?? this.loadBuiltin(source);
      if (found) return found;
    }
    if (isRemoteUrl(url) && this.options.fetchImport) return this.fetchRemote(url);
    const why = isRemoteUrl(url)
      ? 'no bundled or local type file matches it and remote imports are disabled'
      : 'no bundled or local type file has that path';
    return { ok: false, error: `cannot resolve import ${url}: ${why}` };
  }

  private loadLocal(source: string): LoadOutcome | undefined {
    const id = `local:${source}`;
    const hit = this.loaded.get(id);
    if (hit) return hit;
    const content = this.local.get(source);
    if (content === undefined) return undefined;
    const outcome = compile(id, source, false, content);
    this.loaded.set(id, outcome);
    return outcome;
  }

  private loadBuiltin(source: string): LoadOutcome | undefined {
    const file = builtinTypeFile(source);
    return file ? { ok: true, file: { id: `builtin:${source}`, source, remote: false, file, warnings: [] } } : undefined;
  }

  private fetchRemote(url: string): Promise<LoadOutcome> {
    const fetchImport = this.options.fetchImport;
    if (!fetchImport) {
      return Promise.resolve({ ok: false, error: `cannot resolve import ${url}: remote imports are disabled` });
    }
    let pending = this.fetched.get(url);
    if (!pending) {
      pending = fetchImport(url).then(
        (content) => compile(`remote:${url}`, url, true, content),
        (err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : `cannot fetch import ${url}` }),
      );
      this.fetched.set(url, pending);
      // A failed fetch is not cached, so a later parse may try again.
      void pending.then((o) => {
        if (!o.ok) this.fetched.delete(url);
      });
    }
    return pending;
  }
}

function compile(id: string, source: string, remote: boolean, content: string): LoadOutcome {
  const parsed = parseYaml(content);
  if (!parsed.ok) {
    const where = parsed.line ? ` (line ${parsed.line})` : '';
    return { ok: false, error: `type file ${source} is not valid YAML${where}: ${parsed.message}` };
  }
  const warnings: string[] = [];
  const file = compactTypeFile(parsed.source.value, {
    error: (path, message) => warnings.push(`${formatPath(path)}: ${message}; ignored`),
    warn: (path, message) => warnings.push(`${formatPath(path)}: ${message}`),
  });
  return { ok: true, file: { id, source, remote, file, warnings } };
}

function normalizeSource(source: string): string {
  return source.replace(/\\/g, '/').replace(/^\.?\/+/, '');
}
