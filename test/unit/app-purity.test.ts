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
