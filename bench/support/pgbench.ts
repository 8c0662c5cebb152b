/**
 * Runs a custom script with pgbench, PostgreSQL's own C client and the honest ceiling of the CRUD
 * benchmark: prepared statements (-M prepared), `clients` connections for `seconds`, serialization
 * failures retried (--max-tries). Throughput is pgbench's own tps; p50/p99 come from its
 * per-transaction log.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile, type Figures } from './latency.js';

const run = promisify(execFile);

export interface PgbenchOptions {
  /** postgres://user@127.0.0.1:port/database */
  databaseUrl: string;
  script: string;
  seconds: number;
  clients: number;
  /** Variables for the script (-D name=value); in prepared mode each :name is a bind parameter. */
  variables?: Record<string, string>;
}

function connectionArgs(databaseUrl: string): string[] {
  const url = new URL(databaseUrl);
  const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  return [...args, url.pathname.slice(1)];
}

/** Latencies in ms from pgbench's per-transaction logs (the 3rd field is the latency in µs). */
async function loggedLatencies(folder: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const file of await readdir(folder)) {
    if (!file.startsWith('txlog')) continue;
    for (const line of (await readFile(join(folder, file), 'utf8')).split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 3 && fields[2] !== 'failed' && fields[2] !== 'skipped') latencies.push(Number(fields[2]) / 1000);
    }
  }
  return latencies.sort((a, b) => a - b);
}

export async function runPgbench(name: string, options: PgbenchOptions): Promise<Figures> {
  const folder = await mkdtemp(join(tmpdir(), 'flint-pgbench-'));
  try {
    const scriptPath = join(folder, 'script.sql');
    await writeFile(scriptPath, options.script);
    const defines = Object.entries(options.variables ?? {}).flatMap(([key, value]) => ['-D', `${key}=${value}`]);
    const args = [
      '-n', '-M', 'prepared', '-c', String(options.clients), '-j', '2', '-T', String(options.seconds),
      '--max-tries', '10', '-l', '--log-prefix', join(folder, 'txlog'), '-f', scriptPath, ...defines,
      ...connectionArgs(options.databaseUrl),
    ];
    const { stdout } = await run('pgbench', args, { timeout: (options.seconds + 60) * 1000, maxBuffer: 1 << 20 });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    const failed = /number of failed transactions: (\d+)/.exec(stdout);
    if (failed && Number(failed[1]) > 0) console.warn(`  ${name}: pgbench had ${failed[1]} failed transactions`);
    const latencies = await loggedLatencies(folder);
    return { name, requestsPerSecond: Number(tps[1]), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
