/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
  }>;
  startTime?: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A span of the monotonic clock, in microseconds (the clock of `process.hrtime` and of V8 profiles). */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Samples in which the thread was doing something; tells the main thread from the loader's. */
export function busySamples(profile: CpuProfile): number {
  return profile.nodes.reduce((n, node) => n + (IDLE.has(node.callFrame.functionName) ? 0 : (node.hitCount ?? 0)), 0);
}

/** Samples per node, counting only those taken inside the windows; the profile's own counts when none are given. */
function hitCounter(profile: CpuProfile, windows?: readonly TimeWindow[]): (node: CpuProfile['nodes'][number]) => number {
  if (!windows) return (node) => node.hitCount ?? 0;
  const counts = new Map<number, number>();
  let t = profile.startTime ?? 0;
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    t += profile.timeDeltas?.[i] ?? 0;
    if (windows.some((w) => t >= w.startUs && t <= w.endUs)) counts.set(samples[i], (counts.get(samples[i]) ?? 0) + 1);
  }
  return (node) => counts.get(node.id) ?? 0;
}

export interface FrameShare {
  label: string;
  pct: number;
}

export interface ProfileSummary {
  /** Samples outside `(idle)`: the process was doing something. */
  busySamples: number;
  topFrames: FrameShare[];
  byArea: FrameShare[];
  /** Time spent in a function of ours or anything it called (async resumptions included). */
  inclusiveOurs: FrameShare[];
  /** Time spent in a package or anything it called, e.g. jose including the WebCrypto work it starts. */
  inclusiveAreas: FrameShare[];
}

const IDLE = new Set(['(idle)', '(root)']);

function shortUrl(url: string, repoRoot: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path;
}

/** Where a frame's time goes: a package, a folder of ours, Node internals, or V8 itself. */
export function areaOf(url: string, functionName: string, repoRoot: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (!path.startsWith(repoRoot)) return path;
  const parts = path.slice(repoRoot.length).split('/');
  return parts.slice(0, Math.max(1, Math.min(2, parts.length - 1))).join('/');
}

function share(map: Map<string, number>, total: number, n: number): FrameShare[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([label, hits]) => ({ label, pct: Math.round((hits / total) * 1000) / 10 }));
}

function frameLabel(callFrame: CpuProfile['nodes'][number]['callFrame'], repoRoot: string): string {
  const { functionName, url, lineNumber } = callFrame;
  return url ? `${functionName || '(anonymous)'} ${shortUrl(url, repoRoot)}:${lineNumber + 1}` : functionName || '(native)';
}

const UNATTRIBUTED_AREAS = new Set(['node internals', '(native)', '(program)', '(garbage collector)', '(root)', '(idle)']);

/** Walks every root-to-node path once, crediting each node's samples to the distinct labels above it. */
function inclusive(
  profile: CpuProfile,
  hitsOf: (node: CpuProfile['nodes'][number]) => number,
  labelOf: (node: CpuProfile['nodes'][number]) => string | undefined,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const totals = new Map<string, number>();
  const onPath = new Map<string, number>();
  const stack: Array<{ id: number; entering: boolean }> = profile.nodes.filter((node) => !childIds.has(node.id)).map((node) => ({ id: node.id, entering: true }));
  while (stack.length) {
    const { id, entering } = stack.pop()!;
    const node = byId.get(id);
    if (!node) continue;
    const label = labelOf(node);
    if (!entering) {
      if (label) onPath.set(label, (onPath.get(label) ?? 1) - 1);
      continue;
    }
    if (label) onPath.set(label, (onPath.get(label) ?? 0) + 1);
    const hits = IDLE.has(node.callFrame.functionName) ? 0 : hitsOf(node);
    if (hits) for (const [l, depth] of onPath) if (depth > 0) totals.set(l, (totals.get(l) ?? 0) + hits);
    stack.push({ id, entering: false });
    for (const child of node.children ?? []) stack.push({ id: child, entering: true });
  }
  return totals;
}

/**
 * Self time per function and per area, as a share of the busy samples, plus inclusive views;
 * with `windows`, only the samples taken inside them (e.g. while one scenario ran).
 */
export function summarizeProfile(profile: CpuProfile, repoRoot: string, n = 15, windows?: readonly TimeWindow[]): ProfileSummary {
  const hitsOf = hitCounter(profile, windows);
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = hitsOf(node);
    const { functionName, url } = node.callFrame;
    if (hits === 0 || IDLE.has(functionName)) continue;
    busy += hits;
    const label = frameLabel(node.callFrame, repoRoot);
    frames.set(label, (frames.get(label) ?? 0) + hits);
    const area = areaOf(url, functionName, repoRoot);
    areas.set(area, (areas.get(area) ?? 0) + hits);
  }
  const ours = inclusive(profile, hitsOf, (node) => {
    const url = node.callFrame.url.replace(/^file:\/\//, '');
    return url.startsWith(repoRoot) && !url.includes('/node_modules/') ? frameLabel(node.callFrame, repoRoot) : undefined;
  });
  const packages = inclusive(profile, hitsOf, (node) => {
    const area = areaOf(node.callFrame.url, node.callFrame.functionName, repoRoot);
    return UNATTRIBUTED_AREAS.has(area) ? undefined : area;
  });
  return {
    busySamples: busy,
    topFrames: share(frames, busy || 1, n),
    byArea: share(areas, busy || 1, n),
    inclusiveOurs: share(ours, busy || 1, n),
    inclusiveAreas: share(packages, busy || 1, n),
  };
}

export function formatProfileSummary(name: string, s: ProfileSummary): string {
  const rows = (title: string, list: FrameShare[]) => [`  ${title}:`, ...list.map((f) => `    ${f.pct.toFixed(1).padStart(5)} %  ${f.label}`)];
  return [
    `${name} (${s.busySamples} busy samples)`,
    ...rows('top frames (self)', s.topFrames),
    ...rows('by area (self)', s.byArea),
    ...rows('by area (inclusive)', s.inclusiveAreas),
    ...rows('our functions (inclusive)', s.inclusiveOurs),
  ].join('\n');
}
