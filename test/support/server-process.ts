/**
 * A second Flint server in its own OS process (the real CLI), for tests that need two server
 * processes on one database. It has the test servers' root client secret (FLINT_ROOT_CLIENT_SECRET),
 * and fetchAsRoot sends its requests with the root client's credentials.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ROOT_BASIC, TEST_ROOT_SECRET } from './test-server.js';

export interface ServerProcess {
  baseUrl: string;
  /** The pid of the process that was started (npm's, for `npm start`). */
  pid: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** fetch with the root client's credentials (HTTP Basic), unless the init names its own Authorization. */
export function fetchAsRoot(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', ROOT_BASIC);
  return fetch(url, { ...init, headers });
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server process did not become healthy in time');
}

export interface ServerProcessOptions {
  /** The command: the CLI through tsx (default), or `npm start` as a user runs it. */
  command?: 'cli' | 'npm-start';
  /** Collect stderr instead of passing it through (ServerProcess.stderr). */
  captureStderr?: boolean;
  /** How long the start may take on a busy machine (default a minute). */
  startTimeoutMs?: number;
}

export interface SpawnedServer {
  child: ChildProcess;
  baseUrl: string;
  /** What the process wrote to stderr so far (captureStderr only). */
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
}

/** Starts a server process without waiting for it (it may refuse to start). */
export async function spawnServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<SpawnedServer> {
  const port = await freePort();
  const [command, args] = options.command === 'npm-start'
    ? ['npm', ['start', '--silent']]
    : [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve']];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FLINT_ROOT_CLIENT_SECRET: TEST_ROOT_SECRET, ...env },
    stdio: ['ignore', 'ignore', options.captureStderr ? 'pipe' : 'inherit'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, baseUrl: `http://127.0.0.1:${port}`, stderr: () => stderr, exited: () => exit };
}

export async function startServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const server = await spawnServerProcess(env, options);
  await waitForHealth(`${server.baseUrl}/health`, server.child, options.startTimeoutMs ?? 60_000).catch((error: unknown) => {
    server.child.kill('SIGKILL');
    throw error;
  });
  return {
    baseUrl: server.baseUrl,
    pid: server.child.pid as number,
    stop: () => {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      return server.exited();
    },
  };
}
