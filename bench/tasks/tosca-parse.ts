import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadToscaEngine } from '../../src/node/tosca-engine.js';
import { deriveResources, type ToscaEngine } from '../../src/tosca/index.js';
import { generateTemplate } from '../lib/tosca-generator.js';
import { median, percentile, sum } from '../lib/stats.js';
import { taskMain } from '../lib/task-main.js';

export interface ToscaParseArgs {
  mode: 'generated' | 'corpus';
  typesDir: string;
  templatesDir: string;
  nodes: number;
  iterations: number;
  /** Corpus templates to take, in path order; 0 = all. */
  limit: number;
}

export interface ToscaParseResult {
  ms: number;
  p50Ms: number;
  p99Ms: number;
  yamlMs: number;
  extra: Record<string, number | string>;
}

const YAML_OPTIONS = { version: '1.1', uniqueKeys: false } as const;

/** Parse + resource derivation; undefined when the engine rejects the template. */
async function parseAndDerive(engine: ToscaEngine, content: string): Promise<number | undefined> {
  const r = await engine.parse(content);
  return r.ok ? deriveResources(r.template).length : undefined;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

async function generated(engine: ToscaEngine, a: ToscaParseArgs): Promise<ToscaParseResult> {
  const content = generateTemplate(a.nodes);
  // Every parse gets distinct text, so no cache keyed by content can flatter the figure.
  const variant = (i: number) => `${content}# iteration ${i}\n`;
  const first = await engine.parse(content);
  if (!first.ok) throw new Error(`the generated template is rejected: ${JSON.stringify(first.errors.slice(0, 3))}`);
  const warm = Math.max(2, Math.min(10, a.iterations));
  for (let i = 0; i < warm; i++) await parseAndDerive(engine, variant(-1 - i));
  const engineMs: number[] = [];
  const yamlMs: number[] = [];
  let resources = 0;
  for (let i = 0; i < a.iterations; i++) {
    const text = variant(i);
    const [ms, n] = await timed(() => parseAndDerive(engine, text));
    engineMs.push(ms);
    resources = n ?? 0;
    yamlMs.push((await timed(() => parseYaml(text, YAML_OPTIONS)))[0]);
  }
  return {
    ms: median(engineMs),
    p50Ms: percentile(engineMs, 50),
    p99Ms: percentile(engineMs, 99),
    yamlMs: median(yamlMs),
    extra: { nodes: a.nodes, resources, kb: Math.round(content.length / 1024) },
  };
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function corpus(engine: ToscaEngine, a: ToscaParseArgs): Promise<ToscaParseResult> {
  const all = templateFiles(a.templatesDir);
  const files = (a.limit > 0 ? all.slice(0, a.limit) : all).map((f) => ({ name: relative(a.templatesDir, f), content: readFileSync(f, 'utf8') }));
  const passes = Math.max(1, Math.min(5, Math.floor(a.iterations / 3)));
  const perFile = files.map(() => [] as number[]);
  const yamlPerFile = files.map(() => [] as number[]);
  let rejected = 0;
  for (let pass = -1; pass < passes; pass++) {
    for (const [i, f] of files.entries()) {
      const text = `${f.content}\n# pass ${pass}\n`;
      const [ms, n] = await timed(() => parseAndDerive(engine, text).catch(() => undefined));
      const [yms] = await timed(() => {
        try {
          parseYaml(text, YAML_OPTIONS);
        } catch {
          // The one file no YAML parser accepts costs what it costs.
        }
      });
      if (pass < 0) {
        if (n === undefined) rejected++;
        continue;
      }
      perFile[i].push(ms);
      yamlPerFile[i].push(yms);
    }
  }
  const medians = perFile.map(median);
  const slowest = medians.reduce((best, ms, i) => (ms > medians[best] ? i : best), 0);
  return {
    ms: sum(medians),
    p50Ms: percentile(medians, 50),
    p99Ms: percentile(medians, 99),
    yamlMs: sum(yamlPerFile.map(median)),
    extra: {
      templates: files.length,
      rejected,
      slowest: files[slowest]?.name ?? '—',
      slowest_ms: Math.round((medians[slowest] ?? 0) * 100) / 100,
    },
  };
}

await taskMain<ToscaParseArgs, ToscaParseResult>(async (a) => {
  const engine = await loadToscaEngine({ typesDir: a.typesDir });
  return a.mode === 'generated' ? generated(engine, a) : corpus(engine, a);
});
