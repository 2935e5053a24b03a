import { measureToscaParse } from '../lib/tosca-parse.js';
import type { Scenario } from '../lib/types.js';

export const toscaParseCorpus: Scenario = {
  name: 'tosca-parse-corpus',
  kind: 'product',
  unit: 'ms',
  baselineLabel: 'yaml.parse of the same files',
  description: 'Parse + resource derivation of every template under ../shared/tosca/templates: total of the per-file medians, and the slowest file.',
  run: (ctx) => measureToscaParse(ctx, 'corpus'),
};
