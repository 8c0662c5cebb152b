/**
 * `npx tsx bench/support/profile-summary.ts <file.cpuprofile> [--top 30] [--from-ms 0] [--to-ms end]`: the functions with the
 * most self time in a V8 CPU profile (node --cpu-prof), and the share of time per package or
 * source folder, to see where a request path spends its time without a flame graph tool.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 13).split('/').slice(0, url.slice(modules + 13).startsWith('@') ? 2 : 1).join('/');
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).split('/').slice(0, 2).join('/');
  return url === '' ? '(native)' : url.startsWith('node:') ? 'node:' : url;
}

/** Self time per function and per place, of the samples taken from fromMs to toMs after the profile started. */
export function summarize(profile: CpuProfile, top: number, fromMs = 0, toMs = Infinity): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (at >= fromMs * 1000 && at < toMs * 1000) selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const frame = (nodes.get(id) as ProfileNode).callFrame;
    const file = frame.url.split('/').slice(-1)[0];
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
    byPlace.set(where(frame.url), (byPlace.get(where(frame.url)) ?? 0) + time);
  }
  const rows = (map: Map<string, number>, count: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([key, time]) => `${((time / total) * 100).toFixed(1).padStart(5)}%  ${(time / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  return [`total ${(total / 1e6).toFixed(2)} s of samples`, '', 'self time by function:', ...rows(byFunction, top), '', 'self time by place:', ...rows(byPlace, 25)].join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, ...rest] = process.argv.slice(2);
  const topIndex = rest.indexOf('--top');
  const fromIndex = rest.indexOf('--from-ms');
  const toIndex = rest.indexOf('--to-ms');
  const top = topIndex >= 0 ? Number(rest[topIndex + 1]) : 30;
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, fromIndex >= 0 ? Number(rest[fromIndex + 1]) : 0, toIndex >= 0 ? Number(rest[toIndex + 1]) : Infinity));
}
