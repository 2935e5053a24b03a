import { describe, expect, it } from 'vitest';
import { parseImSimConfig } from '../../src/im/simulator/sim-config.js';
import { FAST_TIMINGS, REALISTIC_TIMINGS, resolveTimings } from '../../src/im/simulator/timings.js';
import { parseScenario } from '../../src/im/simulator/scenario.js';

describe('parseImSimConfig', () => {
  it('defaults to port 8800 on loopback, dev mode, fast speed', () => {
    expect(parseImSimConfig({})).toEqual({ ok: true, config: { port: 8800, host: '127.0.0.1', mode: 'dev', speed: 'fast' } });
  });

  it('reads every setting', () => {
    const parsed = parseImSimConfig({
      IM_SIM_PORT: '0',
      IM_SIM_HOST: '0.0.0.0',
      IM_SIM_MODE: 'production',
      IM_SIM_SPEED: 'realistic',
      IM_SIM_OIDC_ISSUERS: 'https://a/, https://b/',
      TOSCA_TYPES_DIR: '/types',
    });
    expect(parsed).toEqual({
      ok: true,
      config: { port: 0, host: '0.0.0.0', mode: 'production', speed: 'realistic', typesDir: '/types', acceptedIssuers: ['https://a/', 'https://b/'] },
    });
  });

  it('names every bad setting', () => {
    const parsed = parseImSimConfig({ IM_SIM_PORT: 'http', IM_SIM_MODE: 'prod', IM_SIM_SPEED: 'slow' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.split(' ')[0])).toEqual(['IM_SIM_PORT', 'IM_SIM_MODE', 'IM_SIM_SPEED']);
  });
});

describe('timings', () => {
  it('are fast by default and realistic on request, with overrides winning', () => {
    expect(resolveTimings()).toEqual(FAST_TIMINGS);
    expect(resolveTimings('realistic').refreshMs).toBe(10_000);
    expect(resolveTimings('realistic', { pendingMs: 5 })).toEqual({ ...REALISTIC_TIMINGS, pendingMs: 5 });
  });
});

describe('parseScenario', () => {
  it('reads a name with knobs from text or a map, durations with units', () => {
    expect(parseScenario('vm-failed; failVms=2; ctxtSeconds=500ms')).toEqual({ name: 'vm-failed', failVms: 2, ctxtMs: 500 });
    expect(parseScenario({ name: 'flaky', errorRate: 0.25, latency: '1s' })).toEqual({ name: 'flaky', errorRate: 0.25, latencyMs: 1_000 });
    expect(parseScenario(undefined)).toEqual({ name: 'ok' });
  });

  it.each(['nope', 'ok; vmCount=-1', 'flaky; errorRate=2', 'ok; colour=blue', 'ok; ctxtSeconds=soon'])('refuses %s', (spec) => {
    expect(() => parseScenario(spec)).toThrow();
  });
});
