import { median, round } from './stats.js';
import type { Measurement, ResultLine, Scenario, Target } from './types.js';

/** One round of a scenario: what it measured and, for a `vs` scenario, that round's baseline value. */
export interface RoundOutcome {
  measurement: Measurement;
  baseline?: number;
}

export function describeTarget(t: Target, unit: string): string {
  return t.on === 'ratio' ? `ratio ${t.op} ${t.limit}` : `value ${t.op} ${t.limit} ${unit}`;
}

export function meetsTarget(t: Target, line: Pick<ResultLine, 'value' | 'ratio'>): boolean | undefined {
  const x = t.on === 'ratio' ? line.ratio : line.value;
  if (x === null || !Number.isFinite(x)) return undefined;
  return t.op === '>=' ? x >= t.limit : x <= t.limit;
}

const orNull = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : round(v));

/**
 * Folds the rounds of one scenario into its line: the median value, and the median of the
 * per-round ratios, so each ratio compares runs made close together in time. A raw baseline
 * is its own reference (ratio 1).
 */
export function summarize(s: Scenario, rounds: readonly RoundOutcome[]): ResultLine {
  const values = rounds.map((r) => r.measurement.value);
  const value = median(values);
  const representative = rounds.reduce((best, r) =>
    Math.abs(r.measurement.value - value) < Math.abs(best.measurement.value - value) ? r : best,
  ).measurement;
  const isRaw = s.kind === 'raw' && s.vs === undefined && representative.baseline === undefined;
  const baselineOf = (r: RoundOutcome) => (isRaw ? r.measurement.value : (r.baseline ?? r.measurement.baseline));
  const baselines = rounds.map(baselineOf).filter((b): b is number => b !== undefined);
  const ratios = rounds
    .filter((r) => (baselineOf(r) ?? 0) > 0)
    .map((r) => r.measurement.value / (baselineOf(r) as number));
  const line: ResultLine = {
    scenario: s.name,
    value: orNull(value),
    unit: s.unit,
    baseline: orNull(baselines.length ? median(baselines) : undefined),
    ratio: orNull(ratios.length ? median(ratios) : undefined),
    p50_ms: orNull(representative.p50_ms),
    p99_ms: orNull(representative.p99_ms),
    vs: isRaw ? s.name : (s.vs ?? s.baselineLabel ?? null),
  };
  if (s.target) {
    line.target = describeTarget(s.target, s.unit);
    line.met = meetsTarget(s.target, line);
  }
  if (representative.extra) line.extra = representative.extra;
  return line;
}

function emptyLine(s: Scenario): ResultLine {
  return {
    scenario: s.name,
    value: null,
    unit: s.unit,
    baseline: null,
    ratio: null,
    p50_ms: null,
    p99_ms: null,
    vs: s.vs ?? s.baselineLabel ?? null,
    ...(s.target ? { target: describeTarget(s.target, s.unit) } : {}),
  };
}

export function skippedLine(s: Scenario, reason: string): ResultLine {
  return { ...emptyLine(s), skipped: reason };
}

export function failedLine(s: Scenario, message: string): ResultLine {
  return { ...emptyLine(s), error: message.slice(0, 4000) };
}

const show = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

function verdict(line: ResultLine): string {
  if (line.skipped) return `skipped: ${line.skipped}`;
  if (line.error && line.value === null) return `FAILED: ${line.error.split('\n')[0].slice(0, 160)}`;
  if (line.met === undefined) return line.target ? 'no data' : '';
  return line.met ? 'met' : 'MISSED';
}

function notes(line: ResultLine): string {
  return Object.entries(line.extra ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** A Markdown table: readable in a terminal and pasteable into the docs. */
export function formatTable(lines: readonly ResultLine[]): string {
  const header = ['scenario', 'value', 'unit', 'vs', 'baseline', 'ratio', 'p50 ms', 'p99 ms', 'target', 'verdict', 'notes'];
  const rows = lines.map((l) => [
    l.scenario,
    show(l.value),
    l.unit,
    l.vs === l.scenario ? '(itself)' : (l.vs ?? '—'),
    show(l.baseline),
    show(l.ratio),
    show(l.p50_ms),
    show(l.p99_ms),
    l.target ?? '',
    verdict(l),
    notes(l),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(fmt)].join('\n');
}
