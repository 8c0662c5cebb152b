/**
 * A private PostgreSQL cluster for fault tests: initdb in a temporary folder, its own port in
 * 55432..55439 (never the shared server), started, restarted, stopped, frozen (SIGSTOP of the
 * postmaster and its backends) and removed by the test. Run as the postgres user when the tests run
 * as root (initdb refuses root). unavailableReason() says why none can be made here.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);
const BIN = ['/usr/local/bin', '/usr/lib/postgresql/15/bin'].find((folder) => existsSync(join(folder, 'initdb')));

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (found.status !== 0 || group.status !== 0) return undefined;
  return { uid: Number(found.stdout.trim()), gid: Number(group.stdout.trim()) };
}

/** Why no private cluster can be made here, or undefined when one can. */
export function unavailableReason(): string | undefined {
  if (!BIN) return 'initdb is not installed (looked in /usr/local/bin and /usr/lib/postgresql/15/bin)';
  if (process.getuid?.() === 0 && !postgresUser()) return 'running as root without a postgres user to run initdb as';
  return undefined;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export class PrivateCluster {
  private constructor(readonly folder: string, public port: number, private readonly user?: { uid: number; gid: number }) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Makes and starts a cluster on the first port of 55432..55439 where it starts (another may take a free one first). */
  static async create(): Promise<PrivateCluster> {
    const folder = mkdtempSync(join(tmpdir(), 'flint-faults-'));
    const user = postgresUser();
    if (user) chownSync(folder, user.uid, user.gid);
    const cluster = new PrivateCluster(folder, 0, user);
    cluster.run('initdb', ['-D', cluster.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    for (let port = 55432; port <= 55439; port++) {
      if (!(await portFree(port))) continue;
      cluster.port = port;
      try {
        await cluster.start();
        return cluster;
      } catch {
        // Taken meanwhile: the next port.
      }
    }
    rmSync(folder, { recursive: true, force: true });
    throw new Error('no free port in 55432..55439 for a private PostgreSQL');
  }

  private get data(): string {
    return join(this.folder, 'data');
  }

  private run(program: string, args: string[]): void {
    execFileSync(join(BIN as string, program), args, { stdio: 'ignore', uid: this.user?.uid, gid: this.user?.gid, cwd: this.folder });
  }

  /** pg_ctl, without blocking the event loop (the server under test keeps serving meanwhile). */
  private async pgCtl(...args: string[]): Promise<void> {
    const options = `-p ${this.port} -k ${this.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
    await run(join(BIN as string, 'pg_ctl'), ['-D', this.data, '-l', join(this.folder, 'log'), '-o', options, '-w', '-t', '30', ...args],
      { uid: this.user?.uid, gid: this.user?.gid, cwd: this.folder });
  }

  start(): Promise<void> {
    return this.pgCtl('start');
  }

  stop(): Promise<void> {
    return this.pgCtl('stop', '-m', 'fast');
  }

  restart(): Promise<void> {
    return this.pgCtl('restart', '-m', 'fast');
  }

  /** The postmaster and every process it started. */
  private processes(): number[] {
    const postmaster = Number(readFileSync(join(this.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
    return [postmaster, ...children.map(Number)];
  }

  /** Stops every process of the cluster (SIGSTOP): connections stay open and nothing answers. */
  freeze(): void {
    this.signal('SIGSTOP');
  }

  thaw(): void {
    this.signal('SIGCONT');
  }

  private signal(signal: NodeJS.Signals): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, signal);
      } catch (error) {
        // A backend that ended since it was listed.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  }

  async remove(): Promise<void> {
    try {
      this.thaw();
    } catch {
      // Not running.
    }
    await this.pgCtl('stop', '-m', 'immediate').catch(() => undefined);
    rmSync(this.folder, { recursive: true, force: true });
  }
}
