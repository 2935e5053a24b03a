export type ScalarUnitKind = 'size' | 'time' | 'frequency' | 'bitrate';

const UNITS: Record<ScalarUnitKind, Record<string, number>> = {
  size: { b: 1, kb: 1e3, kib: 2 ** 10, mb: 1e6, mib: 2 ** 20, gb: 1e9, gib: 2 ** 30, tb: 1e12, tib: 2 ** 40 },
  time: { d: 86400, h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 },
  frequency: { hz: 1, khz: 1e3, mhz: 1e6, ghz: 1e9 },
  bitrate: {
    bps: 1,
    kbps: 1e3,
    kibps: 2 ** 10,
    mbps: 1e6,
    mibps: 2 ** 20,
    gbps: 1e9,
    gibps: 2 ** 30,
    tbps: 1e12,
    tibps: 2 ** 40,
  },
};

const EXAMPLE: Record<ScalarUnitKind, string> = { size: '2 GB', time: '30 s', frequency: '2 GHz', bitrate: '100 Mbps' };

const SCALAR = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]+)\s*$/;

export interface ScalarUnitValue {
  amount: number;
  unit: string;
  /** In bytes, seconds, hertz or bits per second. */
  base: number;
}

/** Units are matched case-insensitively; `GB` is 10^9 bytes and `GiB` 2^30. Negative or infinite amounts are refused. */
export function parseScalarUnit(kind: ScalarUnitKind, value: unknown): ScalarUnitValue | undefined {
  if (typeof value !== 'string') return undefined;
  const m = SCALAR.exec(value);
  if (!m) return undefined;
  const factor = UNITS[kind][m[2].toLowerCase()];
  if (factor === undefined) return undefined;
  const amount = Number(m[1]);
  const base = amount * factor;
  return amount >= 0 && Number.isFinite(base) ? { amount, unit: m[2], base } : undefined;
}

export function scalarUnitKind(type: string): ScalarUnitKind | undefined {
  const m = /^scalar-unit\.(size|time|frequency|bitrate)$/.exec(type);
  return m ? (m[1] as ScalarUnitKind) : undefined;
}

export function scalarUnitExample(kind: ScalarUnitKind): string {
  return EXAMPLE[kind];
}
