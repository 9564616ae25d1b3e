/**
 * Where the server's main thread spent its time in each scenario of a bench run made with `--cpu-prof`:
 *
 *   node bench/src/profile-summary.report.ts bench/results/<stamp>.json [--top N] [--thread N]
 *
 * For each measured window: how busy the thread was, main-thread microseconds per completed call, and the top
 * self time twice - by function (V8's own attribution, where native frames such as `writev` stand alone) and by
 * "owner": the nearest caller that lives in a dependency or a workspace package, so `writev` under sonic-boom
 * counts for sonic-boom and `jobPromise` under jose counts for jose. The owner view answers "which library costs
 * what per call", the function view "which line". The outbox drain (its own, restarted server) comes last, per event.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TimeWindow } from './report/cpu-profile.report.ts';
import type { ScenarioResult } from './scenarios/scenario-result.types.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** Window kind (as load-pass names it) -> the row whose throughput it measured. */
const ROW_OF_WINDOW: Record<string, string> = {
  'login/closed': 'Login storm',
  'validate/closed': 'ValidateToken, closed loop',
  'getUser/closed': 'GetUser, closed loop',
  'refresh/closed': 'RefreshToken, closed loop',
  'register/closed': 'Register storm',
};

const IDLE = new Set(['(idle)']);

function frameName(node: Node): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^file:\/\/.*?\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|apps\/|packages\/)/, '');
  return `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
}

/** A dependency or workspace package; undefined for node internals, native and V8 frames. */
function packageOf(url: string): string | undefined {
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  const workspace = /\/(packages|apps|bench)\/([^/]+)\//.exec(url);
  return workspace ? `@authsvc/${workspace[2]}` : undefined;
}

function owners(profile: Profile): Map<number, string> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const owner = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const pkg = packageOf(node.callFrame.url);
    const up = parent.get(id);
    // V8 pseudo-frames ("(garbage collector)", "(program)") have no caller worth naming.
    const name = pkg ?? (node.callFrame.functionName.startsWith('(') || up === undefined ? `${node.callFrame.functionName || '(root)'}` : resolve(up));
    owner.set(id, name === '(root)' ? 'node internals' : name);
    return owner.get(id)!;
  };
  for (const node of profile.nodes) resolve(node.id);
  return owner;
}

interface WindowSummary {
  wallUs: number;
  busyUs: number;
  byFunction: Map<string, number>;
  byOwner: Map<string, number>;
}

function summarizeWindow(profile: Profile, window: TimeWindow, owner: Map<number, string>): WindowSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const summary: WindowSummary = { wallUs: 0, busyUs: 0, byFunction: new Map(), byOwner: new Map() };
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < window.startUs || t > window.endUs) return;
    summary.wallUs += delta;
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) return;
    summary.busyUs += delta;
    const fn = frameName(node);
    summary.byFunction.set(fn, (summary.byFunction.get(fn) ?? 0) + delta);
    const o = owner.get(id)!;
    summary.byOwner.set(o, (summary.byOwner.get(o) ?? 0) + delta);
  });
  return summary;
}

function main(argv: string[]): void {
  const file = argv.find((a) => a.endsWith('.json'));
  if (!file) {
    console.error('usage: node bench/src/profile-summary.report.ts bench/results/<stamp>.json [--top N] [--thread N]');
    process.exit(64);
  }
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const top = option('--top', 12);
  const thread = option('--thread', 0);
  const run = JSON.parse(readFileSync(file, 'utf8')) as { windows: TimeWindow[]; passes: ScenarioResult[][]; drain?: ScenarioResult };
  const dir = join(dirname(file), `${basename(file, '.json')}-cpuprofile`);
  // node names a profile CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile; thread 0 is the main thread.
  // The outbox drain runs on a restarted server, whose profiles are in the folder's `drain` subfolder.
  const load = (folder: string): { profile: Profile; owner: ReturnType<typeof owners> } | undefined => {
    const profileFile = existsSync(folder) ? readdirSync(folder).find((f) => f.split('.').at(-3) === String(thread)) : undefined;
    if (!profileFile) return undefined;
    const profile = JSON.parse(readFileSync(join(folder, profileFile), 'utf8')) as Profile;
    return { profile, owner: owners(profile) };
  };
  const serving = load(dir);
  if (!serving) throw new Error(`no profile of thread ${thread} in ${dir}`);
  const draining = load(join(dir, 'drain'));
  const ms = (us: number) => (us / 1_000).toFixed(0);
  for (const window of run.windows) {
    const isDrain = window.name === 'outbox drain';
    const source = isDrain ? draining : serving;
    if (!source) continue;
    const s = summarizeWindow(source.profile, window, source.owner);
    if (s.wallUs === 0) continue;
    const [, pass, kinds] = /^pass (\d+): (.*)$/.exec(window.name) ?? [undefined, '1', window.name];
    const row = isDrain ? run.drain : ROW_OF_WINDOW[kinds!] ? run.passes[Number(pass) - 1]?.find((r) => r.name.startsWith(ROW_OF_WINDOW[kinds!]!)) : undefined;
    // Throughput is counted after the warm-up, the window includes it: calls ~ throughput x window length.
    const calls = row ? (row.throughput * s.wallUs) / 1e6 : undefined;
    const perCall = (us: number) => (calls ? ` ${(us / calls).toFixed(1).padStart(7)} µs/call` : '');
    console.log(`\n## ${window.name}: ${ms(s.wallUs)} ms, busy ${((s.busyUs / s.wallUs) * 100).toFixed(1)} %${calls ? `, ${(s.busyUs / calls).toFixed(0)} µs of main thread per call (${row!.throughput} calls/s)` : ''}`);
    for (const [title, map] of [['by owner (nearest package on the stack)', s.byOwner], ['by function (self time)', s.byFunction]] as const) {
      console.log(`  ${title}, % of busy time:`);
      for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`    ${((us / s.busyUs) * 100).toFixed(1).padStart(5)} %${perCall(us)}  ${name}`);
      }
    }
  }
}

main(process.argv.slice(2));
