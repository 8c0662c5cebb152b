/**
 * The embedded PostgreSQL (PGlite, PostgreSQL compiled to WASM) in a local data folder, or in memory.
 * One connection: PGlite itself queues queries and holds other callers out while a transaction runs.
 * Statement timeouts are set as on PostgreSQL but PGlite does not enforce them, and a running
 * statement cannot be cancelled: a request whose client went away stops at its next statement.
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { compile, ISOLATION_SQL, sql, type Sql } from '../sql/index.js';
import type { Database, QueryOptions, QueryResult, Queryable, Row, StreamOptions, TransactionOptions } from './database.js';
import { clientClosedError } from './database-errors.js';
import { DEFAULT_DATABASE_TIMEOUTS } from './database-timeouts.js';
import { lockDataFolder, type DataFolderLock } from './data-folder-lock.js';
import { isNewDataFolder, unpackDataFolder } from './data-folder-template.js';
import { textParsers } from './type-parsers.js';

export interface PgliteOptions {
  /** A folder for the data; undefined keeps the database in memory. */
  dataDir?: string;
  /** A gzipped dump to start from (tests start from a prepared template this way). */
  loadDataDir?: Blob;
  /** A gzipped dump (a file) unpacked into dataDir first when the folder holds no database yet. */
  templateFile?: string;
  /**
   * PostgreSQL's shared_buffers, e.g. 32MB. PGlite's default, 128MB, is all touched at start and
   * stays resident; a smaller cache keeps the process small, at the cost of more reads from files.
   */
  sharedBuffers?: string;
  /** The session's statement_timeout (set for the likeness with PostgreSQL; PGlite does not enforce it). */
  statementTimeoutMs?: number;
}

/** The installed PGlite's version: a dump of one version's data folder is only opened by the same. */
export function pgliteVersion(): string {
  const manifest = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'));
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

type PgliteRunner = Pick<PGlite, 'query' | 'exec'>;

async function runQuery<R>(runner: PgliteRunner, query: Sql): Promise<QueryResult<R>> {
  const { text, values } = compile(query);
  const result = await runner.query<R>(text, values);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

/** A data folder on disk (not memory:// or another PGlite scheme) takes the single-writer lock. */
function lockFolder(dataDir: string | undefined): DataFolderLock | undefined {
  return dataDir && !dataDir.includes('://') ? lockDataFolder(dataDir) : undefined;
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private constructor(private readonly db: PGlite, private readonly lock?: DataFolderLock) {}

  static async open(options: PgliteOptions = {}): Promise<PgliteDatabase> {
    const lock = lockFolder(options.dataDir);
    try {
      if (options.templateFile && lock && isNewDataFolder(options.dataDir as string)) await unpackDataFolder(options.templateFile, options.dataDir as string);
      const db = new PGlite({
        dataDir: options.dataDir,
        loadDataDir: options.loadDataDir,
        startParams: options.sharedBuffers ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers}`] : undefined,
        extensions: { pg_trgm, unaccent, btree_gin },
        parsers: textParsers,
      });
      await db.waitReady;
      const statementMs = options.statementTimeoutMs ?? DEFAULT_DATABASE_TIMEOUTS.statementMs;
      await db.exec(`SET TimeZone = 'UTC'; SET statement_timeout = ${Math.trunc(statementMs)}`);
      return new PgliteDatabase(db, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async query<R = Row>(query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
    const timeoutMs = options?.timeoutMs ?? 0;
    if (timeoutMs > 0) return this.transaction((tx) => tx.query<R>(query), { timeoutMs, signal: options?.signal });
    if (options?.signal?.aborted) throw clientClosedError();
    return runQuery<R>(this.db, query);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(clientClosedError());
    return this.db.transaction(async (tx) => {
      const mode = `${ISOLATION_SQL[options.isolation ?? 'read-committed']}${options.readOnly ? ' READ ONLY' : ''}`;
      await tx.exec(`SET TRANSACTION ISOLATION LEVEL ${mode}`);
      if (options.timeoutMs) await runQuery(tx, sql`SELECT set_config('statement_timeout', ${String(options.timeoutMs)}, true)`);
      return fn({
        query: (query) => {
          // One session: a running statement cannot be cancelled, but the next one is not started.
          if (signal?.aborted) return Promise.reject(clientClosedError());
          return runQuery(tx, query);
        },
      });
    });
  }

  async *stream<R = Row>(query: Sql, batchSize = 1000, options: StreamOptions = {}): AsyncIterable<R[]> {
    // The embedded database has one connection: a cursor would hold it (and every other request) for
    // the whole stream, so the result is read at once and handed out in batches.
    if (options.signal?.aborted) throw clientClosedError();
    const { rows } = await runQuery<R>(this.db, query);
    for (let start = 0; start < rows.length; start += batchSize) yield rows.slice(start, start + batchSize);
  }

  async ping(_timeoutMs: number): Promise<void> {
    // In process: it answers when the statements queued before it are done (the caller races a timer).
    await this.db.query('SELECT 1');
  }

  useLog(): void {
    // In process: it has no outages to report.
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const stop = await this.db.listen(channel, handler);
    return async () => stop();
  }

  onListenerReconnect(_handler: () => void): void {
    // One in-process connection: it cannot be lost.
  }

  /**
   * A gzipped copy of the data folder (the test template and the embedded template). A checkpoint
   * first, so that the copy opens without replaying the WAL of everything done so far (about 0.7 s
   * of CPU for each opening of a template with every table).
   */
  async dump(): Promise<Blob> {
    await this.db.exec('CHECKPOINT');
    return this.db.dumpDataDir('gzip') as Promise<Blob>;
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}
