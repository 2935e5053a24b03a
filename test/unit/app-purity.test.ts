import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the app factory', () => {
  it('bundles for a neutral platform: no node:*, bullmq, ioredis or postgres driver inside', async () => {
    const result = await build({
      entryPoints: ['src/app.ts'],
      bundle: true,
      write: false,
      platform: 'neutral',
      format: 'esm',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile!.inputs);
    const forbidden = inputs.filter((p) => /node_modules\/(bullmq|ioredis|postgres|pino|@electric-sql\/pglite|@hono\/node-server)\//.test(p));
    expect(forbidden).toEqual([]);
    const importsNode = Object.values(result.metafile!.inputs).flatMap((i) => i.imports.map((imp) => imp.path)).filter((p) => p.startsWith('node:'));
    expect(importsNode).toEqual([]);
    expect(inputs).toContain('src/app.ts');
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const importSpecifiers = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);

describe('layering', () => {
  it('keeps routes off the database layer: they call services only', () => {
    const offenders = sourceFiles('src/routes').flatMap((f) => importSpecifiers(f).filter((s) => /(^|\/)db\//.test(s)).map((s) => `${f} -> ${s}`));
    expect(offenders).toEqual([]);
  });

  it('exports only the IM client from the IM barrel, not the simulator', async () => {
    const barrel = await import('../../src/im/index.js');
    expect(barrel).toHaveProperty('createImClient');
    for (const name of ['createImSimulatorApp', 'createSimStore', 'parseScenario']) expect(barrel).not.toHaveProperty(name);
    expect(importSpecifiers('src/im/index.ts').filter((s) => s.includes('simulator'))).toEqual([]);
  });

  it('keeps SQL out of the processors: they call repos and services', () => {
    const offenders = sourceFiles('workers').flatMap((f) =>
      importSpecifiers(f)
        .filter((s) => /drizzle-orm|\/db\/schema\.js$/.test(s))
        .map((s) => `${f} -> ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
