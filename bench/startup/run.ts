/**
 * `npm run bench -- startup [--runs 3] [--port 18480]`: how long `npm start` takes until /health
 * answers, on a new and on an existing embedded data folder and on a new and an existing
 * PostgreSQL database (BENCH_DATABASE_URL, else DATABASE_URL, else the local server), with the
 * server process's CPU time (the figure that a busy machine disturbs least) and its resident
 * memory at idle after a few requests. Each run is a real `npm start`, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchDatabase } from '../support/bench-database.js';
import { option } from '../support/cli-options.js';
import { processCpuSeconds } from '../support/server-process.js';

/** The root client's secret of the started servers (as a user would set it), and the Basic header of the reads. */
const ROOT_SECRET = 'bench-root-secret';
const ROOT_BASIC = `Basic ${Buffer.from(`root:${ROOT_SECRET}`).toString('base64')}`;

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Sample {
  readyMs: number;
  cpuMs: number;
  idleRssMb: number;
}

/** The server: of the node processes under npm (npm -> sh -> node, or node -> node with tsx), the largest. */
function serverPid(npm: ChildProcess): number | undefined {
  const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const found: number[] = [];
  let pids = [npm.pid as number];
  for (let depth = 0; depth < 4 && pids.length > 0; depth++) {
    pids = pids.flatMap(children);
    found.push(...pids.filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node'));
  }
  return found.sort((a, b) => rssMb(b) - rssMb(a))[0];
}

function cpuMs(pid: number): number {
  return processCpuSeconds(pid) * 1000;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:')) as string;
  return Number(line.split(/\s+/)[1]) / 1024;
}

async function waitReady(baseUrl: string, npm: ChildProcess): Promise<void> {
  for (;;) {
    if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}`);
    if (await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startOnce(env: Record<string, string>, port: number): Promise<Sample> {
  const started = performance.now();
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FLINT_ROOT_CLIENT_SECRET: ROOT_SECRET }, stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitReady(baseUrl, npm);
  const readyMs = performance.now() - started;
  const pid = serverPid(npm) as number;
  const cpu = cpuMs(pid);
  for (let i = 0; i < 5; i++) {
    await fetch(`${baseUrl}/fhir/Patient?_count=5`, { headers: { authorization: ROOT_BASIC } }).then((response) => response.text());
    await fetch(`${baseUrl}/fhir/metadata`).then((response) => response.text());
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRssMb = rssMb(pid);
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  npm.kill('SIGTERM');
  await exited;
  const stopped = await stopsWithin(baseUrl, 30_000);
  if (!stopped) {
    console.log(`  the server (pid ${pid}) kept running after SIGTERM to npm start; sent it SIGTERM itself`);
    process.kill(pid, 'SIGTERM');
    await stopsWithin(baseUrl, 60_000);
  }
  return { readyMs, cpuMs: cpu, idleRssMb };
}

async function stopsWithin(baseUrl: string, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (!(await fetch(`${baseUrl}/health`).then(() => true, () => false))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function report(label: string, samples: Sample[]): void {
  const figures = samples.map((sample) => `${(sample.readyMs / 1000).toFixed(1)} s`).join(', ');
  console.log(`${label.padEnd(30)} ready ${(median(samples.map((s) => s.readyMs)) / 1000).toFixed(2)} s (runs: ${figures})` +
    `  cpu ${(median(samples.map((s) => s.cpuMs)) / 1000).toFixed(2)} s  idle rss ${median(samples.map((s) => s.idleRssMb)).toFixed(0)} MB`);
}

async function embedded(runs: number, port: number): Promise<void> {
  const fresh: Sample[] = [];
  const existing: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'flint-bench-startup-'));
    try {
      fresh.push(await startOnce({ DATABASE_URL: '', FLINT_DATA_DIR: dataDir }, port));
      existing.push(await startOnce({ DATABASE_URL: '', FLINT_DATA_DIR: dataDir }, port));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  report('embedded, new data folder', fresh);
  report('embedded, existing folder', existing);
}

async function postgres(runs: number, port: number): Promise<void> {
  const fresh: Sample[] = [];
  const existing: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    const database = await createBenchDatabase('startup');
    try {
      fresh.push(await startOnce({ DATABASE_URL: database.url }, port));
      existing.push(await startOnce({ DATABASE_URL: database.url }, port));
    } finally {
      await database.drop();
    }
  }
  report('PostgreSQL, new database', fresh);
  report('PostgreSQL, existing database', existing);
}

export async function run(args: string[]): Promise<void> {
  const runs = option(args, '--runs', 3);
  const port = option(args, '--port', 18480);
  console.log(`npm start until /health answers (median of ${runs}); cpu = the server process's user+system time until then`);
  await embedded(runs, port);
  await postgres(runs, port);
}
