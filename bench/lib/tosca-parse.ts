import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './child.js';
import type { BenchContext } from './context.js';
import { TOSCA_TYPES_DIR } from './product-api.js';
import { TOSCA_TEMPLATES_DIR } from './realistic-template.js';
import { runTask } from './task.js';
import { SkipScenario, type Measurement } from './types.js';
import type { ToscaParseArgs, ToscaParseResult } from '../tasks/tosca-parse.js';

/** Times the TOSCA engine in a fresh process; the baseline is the plain `yaml` parse of the same text. */
export async function measureToscaParse(ctx: BenchContext, mode: ToscaParseArgs['mode']): Promise<Measurement> {
  if (!existsSync(join(REPO_ROOT, 'src/node/tosca-engine.ts'))) throw new SkipScenario('the TOSCA engine (src/node/tosca-engine.ts) does not exist yet');
  if (!existsSync(TOSCA_TYPES_DIR) || !existsSync(TOSCA_TEMPLATES_DIR)) throw new SkipScenario('the TOSCA data set (../shared/tosca) is missing');
  const args: ToscaParseArgs = {
    mode,
    typesDir: TOSCA_TYPES_DIR,
    templatesDir: TOSCA_TEMPLATES_DIR,
    nodes: ctx.sizes.toscaNodes,
    iterations: ctx.sizes.toscaIterations,
    limit: ctx.sizes.corpusLimit,
  };
  const r = await runTask<ToscaParseResult>(ctx, { entry: 'bench/tasks/tosca-parse.ts', label: `tosca-parse-${mode}`, args, timeoutMs: 300_000 });
  return { value: r.ms, p50_ms: r.p50Ms, p99_ms: r.p99Ms, baseline: r.yamlMs, extra: r.extra };
}
