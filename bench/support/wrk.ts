/**
 * Drives an HTTP server from outside with wrk (https://github.com/wg/wrk), the load generator of
 * the CRUD benchmark: a Lua script shapes the requests, and its done() hook prints the figures as
 * one JSON line that is read back here. Only 127.0.0.1 is targeted; wrk stops after `seconds`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Figures } from './latency.js';

const run = promisify(execFile);

export interface WrkOptions {
  /** http://127.0.0.1:port */
  baseUrl: string;
  /** The Lua script: sets wrk.method/body/headers or defines request(). done() is appended here. */
  script: string;
  seconds: number;
  connections: number;
  threads?: number;
  /** Headers every request carries (wrk.headers; a script's own request() must copy them). */
  headers?: Record<string, string>;
}

function headerLines(headers: Record<string, string> = {}): string {
  return Object.entries(headers).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`).join('\n');
}

const REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"socketErrors":%d,"non2xx":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`;

interface WrkReport {
  requests: number;
  durationUs: number;
  socketErrors: number;
  non2xx: number;
  p50Us: number;
  p99Us: number;
}

export function isWrkAvailable(): Promise<boolean> {
  return run('wrk', ['--version']).then(() => true, (error: { stdout?: string }) => /^wrk /.test(error.stdout ?? ''));
}

/** Runs wrk once; requests/s counts only 2xx answers (failures are reported on stderr). */
export async function runWrk(name: string, options: WrkOptions): Promise<Figures> {
  const url = new URL(options.baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`wrk targets 127.0.0.1 only, not ${url.hostname}`);
  const folder = await mkdtemp(join(tmpdir(), 'flint-wrk-'));
  try {
    const scriptPath = join(folder, 'script.lua');
    await writeFile(scriptPath, `${headerLines(options.headers)}\n${options.script}\n${REPORT}`);
    const threads = String(options.threads ?? 2);
    const args = ['-t', threads, '-c', String(options.connections), '-d', `${options.seconds}s`, '--timeout', '10s', '-s', scriptPath, options.baseUrl];
    const { stdout } = await run('wrk', args, { timeout: (options.seconds + 30) * 1000, maxBuffer: 1 << 20 });
    const line = stdout.split('\n').find((text) => text.startsWith('WRK_JSON '));
    if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
    const report = JSON.parse(line.slice('WRK_JSON '.length)) as WrkReport;
    const failures = report.socketErrors + report.non2xx;
    if (failures > 0) console.warn(`  ${name}: ${failures} failed requests (non-2xx ${report.non2xx}, socket errors ${report.socketErrors})`);
    const ok = report.requests - report.non2xx;
    return { name, requestsPerSecond: ok / (report.durationUs / 1e6), p50: report.p50Us / 1000, p99: report.p99Us / 1000 };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
