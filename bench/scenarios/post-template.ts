import { loadFor, loadGenerator, throughput } from '../lib/load.js';
import { productApi } from '../lib/product-api.js';
import { realisticTemplate, UNIQUE_MARK } from '../lib/realistic-template.js';
import { SkipScenario, type Scenario } from '../lib/types.js';

export const postTemplate: Scenario = {
  name: 'post-template',
  kind: 'product',
  unit: 'req/s',
  vs: 'insert-raw',
  description: 'POST /api/v1/templates with the realistic template, unique content each time: the TOSCA parse cost over a bare insert.',
  prepare: (ctx) => Promise.all([productApi(ctx), loadGenerator(ctx)]),
  async run(ctx) {
    const content = realisticTemplate();
    if (!content) throw new SkipScenario('the TOSCA data set (../shared/tosca/templates) is missing');
    const api = await productApi(ctx);
    const url = `${api.url}/api/v1/templates`;
    const headers = { ...api.authHeaders, 'content-type': 'application/json' };
    const probe = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: content.replace(UNIQUE_MARK, `probe-${crypto.randomUUID()}`), name: 'bench probe' }),
    });
    const answer = await probe.text();
    if (probe.status === 404 && answer.includes('No route')) throw new SkipScenario('POST /api/v1/templates does not exist yet');
    if (probe.status !== 201) throw new Error(`POST /api/v1/templates answered ${probe.status}: ${answer.slice(0, 500)}`);
    const body = JSON.stringify({ content, name: `bench ${UNIQUE_MARK}` });
    // As many requests in flight as insert-raw has inserts.
    return throughput(await loadFor(ctx, { url, method: 'POST', headers, body, idReplacement: true, connections: ctx.sizes.inFlight }, api.pid));
  },
};
