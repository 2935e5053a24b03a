import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createToscaEngine, type ToscaEngine, type ToscaTypeFileSource } from '../tosca/index.js';

export interface LoadToscaEngineOptions {
  /** Folder of extra type files (TOSCA_TYPES_DIR), read recursively once. */
  typesDir?: string;
  remoteImports?: { enabled: boolean; timeoutMs: number; cacheDir?: string };
}

export async function loadToscaEngine(opts: LoadToscaEngineOptions = {}): Promise<ToscaEngine> {
  const extraTypeFiles = opts.typesDir ? await readTypeFiles(opts.typesDir) : [];
  const remote = opts.remoteImports;
  const fetchImport = remote?.enabled ? createImportFetcher(remote.timeoutMs, remote.cacheDir) : undefined;
  return createToscaEngine({ extraTypeFiles, fetchImport });
}

/** Every *.yaml / *.yml below `dir`, with `source` relative to it using `/`. */
export async function readTypeFiles(dir: string): Promise<ToscaTypeFileSource[]> {
  const root = path.resolve(dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  return Promise.all(
    files.map(async (file) => ({
      source: path.relative(root, file).split(path.sep).join('/'),
      content: await readFile(file, 'utf8'),
    })),
  );
}

export class ImportFetchError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`cannot fetch import ${url}: ${reason}`);
    this.name = 'ImportFetchError';
  }
}

/** Fetches http(s) imports with a timeout, keeping a copy per URL in `cacheDir` when given. */
export function createImportFetcher(timeoutMs: number, cacheDir?: string): (url: string) => Promise<string> {
  return async (url) => {
    if (!/^https?:\/\//i.test(url)) throw new ImportFetchError(url, 'only http(s) URLs can be fetched');
    const cacheFile = cacheDir ? path.join(cacheDir, `${createHash('sha256').update(url).digest('hex')}.yaml`) : undefined;
    if (cacheFile) {
      const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
      if (cached !== undefined) return cached;
    }
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new ImportFetchError(url, timedOut ? `no answer within ${timeoutMs} ms` : 'network error');
    }
    if (!res.ok) throw new ImportFetchError(url, `HTTP ${res.status}`);
    const text = await res.text();
    if (cacheFile && cacheDir) {
      await mkdir(cacheDir, { recursive: true });
      await writeFile(cacheFile, text);
    }
    return text;
  };
}
