import { measureToscaParse } from '../lib/tosca-parse.js';
import type { Scenario } from '../lib/types.js';

export const toscaParse: Scenario = {
  name: 'tosca-parse',
  kind: 'product',
  unit: 'ms',
  baselineLabel: 'yaml.parse of the same text',
  target: { on: 'value', op: '<=', limit: 50 },
  description: 'Parse + resource derivation of a generated 200-node template (median of the iterations).',
  run: (ctx) => measureToscaParse(ctx, 'generated'),
};
