import { isPlainObject, type PlainObject } from './plain.js';
import type { PendingIssue, Segment } from './issues.js';

export interface ImportRef {
  name?: string;
  url: string;
  path: Segment[];
}

export interface ReadImports {
  refs: ImportRef[];
  errors: PendingIssue[];
  warnings: PendingIssue[];
}

/**
 * Reads an `imports` list in its three entry shapes: a string, `{name: url}`, `{name: {file, repository}}`.
 * A lone string or map where the list belongs can only mean a list of that one entry: read so, with a warning.
 */
export function readImports(raw: unknown, repositories: unknown, base: Segment[] = []): ReadImports {
  const refs: ImportRef[] = [];
  const errors: PendingIssue[] = [];
  const warnings: PendingIssue[] = [];
  const result = { refs, errors, warnings };
  if (raw === undefined || raw === null) return result;
  if (typeof raw === 'string' || isPlainObject(raw)) {
    warnings.push({ path: [...base, 'imports'], message: `imports is a single ${typeof raw === 'string' ? 'string' : 'map'}; read as a list of one import` });
  } else if (!Array.isArray(raw)) {
    errors.push({ path: [...base, 'imports'], message: 'imports must be a list' });
    return result;
  }
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  const itemPath = (i: number): Segment[] => (Array.isArray(raw) ? [...base, 'imports', i] : [...base, 'imports']);
  const repos = isPlainObject(repositories) ? repositories : {};
  list.forEach((item, i) => {
    const path = itemPath(i);
    if (typeof item === 'string') {
      refs.push({ url: item, path });
      return;
    }
    if (!isPlainObject(item)) {
      errors.push({ path, message: 'an import must be a string or a map' });
      return;
    }
    if ('file' in item) {
      const url = importDefinitionUrl(item, repos);
      if (typeof url === 'string') refs.push({ url, path });
      else errors.push({ path, message: url.error });
      return;
    }
    for (const [name, value] of Object.entries(item)) {
      if (typeof value === 'string') refs.push({ name, url: value, path: [...path, name] });
      else if (isPlainObject(value)) {
        const url = importDefinitionUrl(value, repos);
        if (typeof url === 'string') refs.push({ name, url, path: [...path, name] });
        else errors.push({ path: [...path, name], message: url.error });
      } else errors.push({ path: [...path, name], message: `import ${name} must name a file` });
    }
  });
  return result;
}

function importDefinitionUrl(def: PlainObject, repos: PlainObject): string | { error: string } {
  if (typeof def.file !== 'string' || !def.file) return { error: 'an import definition needs a file' };
  if (def.repository === undefined) return def.file;
  const repoName = String(def.repository);
  const repo = repos[repoName];
  const base = typeof repo === 'string' ? repo : isPlainObject(repo) ? repo.url : undefined;
  if (typeof base !== 'string') return { error: `repository ${repoName} is not declared in repositories` };
  return base.endsWith('/') || def.file.startsWith('/') ? base + def.file : `${base}/${def.file}`;
}

const KNOWN_NAMES: Record<string, string> = {
  indigo_custom_types: 'indigo/custom_types.yaml',
  infn_custom_types: 'infn/custom_types.yaml',
};

const URL_RULES: Array<{ pattern: RegExp; folder: string }> = [
  { pattern: /^https?:\/\/raw\.githubusercontent\.com\/indigo-dc\/tosca-types\/([^/]+)\/(.+)$/i, folder: 'indigo' },
  { pattern: /^https?:\/\/(?:www\.)?github\.com\/indigo-dc\/tosca-types\/(?:-\/)?raw\/([^/]+)\/(.+)$/i, folder: 'indigo' },
  { pattern: /^https?:\/\/baltig\.infn\.it\/infn-cloud\/tosca-types\/(?:-\/)?raw\/([^/]+)\/(.+)$/i, folder: 'infn' },
];

export function isRemoteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

/**
 * Local paths (relative to a types folder) that may hold an import, most specific first: a ref-specific
 * copy under `<folder>/refs/<ref>/`, then the folder itself as the fallback.
 */
export function candidateSources(url: string, importerSource?: string): string[] {
  const clean = url.split(/[?#]/)[0];
  for (const rule of URL_RULES) {
    const m = rule.pattern.exec(clean);
    if (m) {
      const [, ref, file] = m;
      const decoded = decodeOrUndefined(ref);
      return decoded === undefined ? [] : [`${rule.folder}/refs/${decoded}/${file}`, `${rule.folder}/${file}`];
    }
  }
  if (isRemoteUrl(clean)) return [];
  const out: string[] = [];
  const known = KNOWN_NAMES[clean];
  if (known) out.push(known);
  if (importerSource) out.push(joinPosix(dirnamePosix(importerSource), clean));
  out.push(joinPosix('', clean));
  return [...new Set(out)];
}

/** A malformed `%` escape makes the URL unresolvable rather than crashing the parse. */
function decodeOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function dirnamePosix(p: string): string {
  const at = p.lastIndexOf('/');
  return at < 0 ? '' : p.slice(0, at);
}

function joinPosix(dir: string, rel: string): string {
  const parts = (rel.startsWith('/') ? rel : `${dir}/${rel}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
