/**
 * Starts the Flint server as its own process (the real CLI) for benchmarks, so the load generator
 * and the server do not share an event loop.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  baseUrl: string;
  /** CPU seconds (user + system) the server process has used so far (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100;

/** utime + stime of a process from /proc/<pid>/stat, in seconds. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** nodeArgs go before the script (--cpu-prof, --cpu-prof-dir=...); the profile is written when the server exits. */
export async function startBenchServer(env: Record<string, string>, port = Number(process.env.FLINT_BENCH_PORT ?? 18080), nodeArgs: string[] = []): Promise<BenchServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: root,
    // Authentication is off unless the benchmark says otherwise (it is about something else; the
    // server listens on loopback only): the crud benchmark measures it with --auth.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', FLINT_AUTH: 'off', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
