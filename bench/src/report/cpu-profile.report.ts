import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** A scenario's time span on the monotonic clock (µs), the clock V8 profiles use on Linux. */
export interface TimeWindow {
  name: string;
  startUs: number;
  endUs: number;
}

export interface ProfileSummary {
  totalSamples: number;
  /** Share of each scenario's time this thread spent idle (waiting for work), from the sample timeline. */
  idlePercentByScenario: Record<string, number>;
  topFunctions: { frame: string; selfPercent: number }[];
  byPackage: { name: string; selfPercent: number }[];
}

/** Where a frame lives: a dependency, a workspace package, node's internals or V8 ("(garbage collector)", "(idle)"). */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return `@authsvc/${workspace[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

/** Self time of a V8 .cpuprofile (as `node --cpu-prof` writes it), by function and by package. */
export function summarizeCpuProfile(file: string, windows: TimeWindow[] = [], top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const idlePercentByScenario: Record<string, number> = {};
  for (const window of windows) {
    let t = profile.startTime;
    let all = 0;
    let idle = 0;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      t += delta;
      if (t < window.startUs || t > window.endUs) return;
      all += delta;
      if (idleIds.has(id)) idle += delta;
    });
    if (all > 0) idlePercentByScenario[window.name] = Math.round((idle / all) * 1_000) / 10;
  }
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFrame = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^file:\/\/.*?\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|apps\/|packages\/)/, '');
    const frame = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + count);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const pct = (n: number) => Math.round((n / total) * 1_000) / 10;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalSamples: total,
    idlePercentByScenario,
    topFunctions: sorted(byFrame).map(([frame, n]) => ({ frame, selfPercent: pct(n) })),
    byPackage: sorted(byPackage).map(([name, n]) => ({ name, selfPercent: pct(n) })),
  };
}
