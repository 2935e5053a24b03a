import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from '../../bench/lib/args.js';
import { summarizeProfile, type CpuProfile } from '../../bench/lib/cpu-profile.js';
import { formatTable, summarize } from '../../bench/lib/report.js';
import { selectScenarios } from '../../bench/lib/runner.js';
import { median, percentile } from '../../bench/lib/stats.js';
import type { Scenario } from '../../bench/lib/types.js';

const scenario = (over: Partial<Scenario>): Scenario => ({
  name: 'x',
  kind: 'product',
  unit: 'req/s',
  description: '',
  run: async () => ({ value: 1 }),
  ...over,
});

describe('bench arguments', () => {
  it('reads the mode, the scenario filter and the output file', () => {
    expect(parseBenchArgs(['--quick', '--only', 'get-user,list-users', '--out=/tmp/x.json'])).toEqual({
      mode: 'quick',
      only: ['get-user', 'list-users'],
      out: '/tmp/x.json',
      profile: false,
      list: false,
    });
    expect(parseBenchArgs([]).mode).toBe('full');
  });

  it('refuses an unknown flag instead of running the wrong thing', () => {
    expect(() => parseBenchArgs(['--quik'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--only'])).toThrow(/needs a value/);
  });
});

describe('scenario selection', () => {
  const all = [scenario({ name: 'raw', kind: 'raw' }), scenario({ name: 'a', vs: 'raw' }), scenario({ name: 'b' })];

  it('adds the baseline a chosen scenario is divided by, keeping registry order', () => {
    expect(selectScenarios(all, ['a']).map((s) => s.name)).toEqual(['raw', 'a']);
    expect(selectScenarios(all, []).map((s) => s.name)).toEqual(['raw', 'a', 'b']);
  });

  it('names the known scenarios when asked for an unknown one', () => {
    expect(() => selectScenarios(all, ['nope'])).toThrow(/known: raw, a, b/);
  });
});

describe('result lines', () => {
  it('takes the median value and the median of the per-round ratios, and judges the target', () => {
    const s = scenario({ name: 'get-user', vs: 'http-pg-raw', target: { on: 'ratio', op: '>=', limit: 0.8 } });
    const line = summarize(s, [
      { measurement: { value: 90, p50_ms: 1, p99_ms: 9 }, baseline: 100 },
      { measurement: { value: 60, p50_ms: 2, p99_ms: 8 }, baseline: 100 },
      { measurement: { value: 80, p50_ms: 3, p99_ms: 7 }, baseline: 50 },
    ]);
    expect(line).toMatchObject({ scenario: 'get-user', value: 80, baseline: 100, ratio: 0.9, p50_ms: 3, p99_ms: 7, vs: 'http-pg-raw', met: true });
    expect(line.target).toBe('ratio >= 0.8');
  });

  it('reports a raw baseline as its own reference', () => {
    const line = summarize(scenario({ name: 'http-hello-raw', kind: 'raw' }), [{ measurement: { value: 1234.5678 } }]);
    expect(line).toMatchObject({ value: 1235, baseline: 1235, ratio: 1, vs: 'http-hello-raw' });
  });

  it('marks a missed latency target and shows it in the table', () => {
    const s = scenario({ name: 'list-users', unit: 'ms', baselineLabel: 'same SQL', target: { on: 'ratio', op: '<=', limit: 1.5 } });
    const line = summarize(s, [{ measurement: { value: 30, baseline: 10 } }]);
    expect(line).toMatchObject({ ratio: 3, met: false, vs: 'same SQL' });
    expect(formatTable([line])).toMatch(/\| list-users +\| 30 +\| ms .*\| MISSED/);
  });
});

describe('statistics', () => {
  it('uses nearest-rank percentiles and a midpoint median', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(median(xs)).toBe(5.5);
  });
});

describe('CPU profile summary', () => {
  it('credits self time to frames and packages, and inclusive time to our callers', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), hitCount: 0, children: [2, 5] },
        { id: 2, callFrame: frame('handler', 'file:///repo/src/routes/a.ts'), hitCount: 1, children: [3] },
        { id: 3, callFrame: frame('jwtVerify', 'file:///repo/node_modules/jose/dist/verify.js'), hitCount: 2, children: [4] },
        { id: 4, callFrame: frame('sign', 'node:internal/crypto/sig'), hitCount: 5 },
        { id: 5, callFrame: frame('(idle)', ''), hitCount: 100 },
      ],
    };
    const s = summarizeProfile(profile, '/repo/');
    expect(s.busySamples).toBe(8);
    expect(s.topFrames[0]).toEqual({ label: 'sign node:internal/crypto/sig:1', pct: 62.5 });
    expect(s.byArea.map((a) => a.label)).toEqual(['node internals', 'jose', 'src/routes']);
    expect(s.inclusiveAreas).toEqual([
      { label: 'src/routes', pct: 100 },
      { label: 'jose', pct: 87.5 },
    ]);
    expect(s.inclusiveOurs).toEqual([{ label: 'handler src/routes/a.ts:1', pct: 100 }]);
  });
});
