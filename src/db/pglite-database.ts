/**
 * The embedded PostgreSQL (PGlite, PostgreSQL compiled to WASM) in a local data folder, or in memory.
 * One connection: PGlite itself queues queries and holds other callers out while a transaction runs.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { compile, ISOLATION_SQL, sql, type Sql } from '../sql/index.js';
import type { Database, QueryOptions, QueryResult, Queryable, Row, TransactionOptions } from './database.js';
import { textParsers } from './type-parsers.js';

export interface PgliteOptions {
  /** A folder for the data; undefined keeps the database in memory. */
  dataDir?: string;
  /** A gzipped dump to start from (tests start from a prepared template this way). */
  loadDataDir?: Blob;
}

type PgliteRunner = Pick<PGlite, 'query' | 'exec'>;

async function runQuery<R>(runner: PgliteRunner, query: Sql): Promise<QueryResult<R>> {
  const { text, values } = compile(query);
  const result = await runner.query<R>(text, values);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private constructor(private readonly db: PGlite) {}

  static async open(options: PgliteOptions = {}): Promise<PgliteDatabase> {
    const db = new PGlite({
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir,
      extensions: { pg_trgm, unaccent, btree_gin },
      parsers: textParsers,
    });
    await db.waitReady;
    await db.exec("SET TimeZone = 'UTC'");
    return new PgliteDatabase(db);
  }

  query<R = Row>(query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
    const timeoutMs = options?.timeoutMs ?? 0;
    if (timeoutMs > 0) return this.transaction((tx) => tx.query<R>(query), { timeoutMs });
    return runQuery<R>(this.db, query);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.db.transaction(async (tx) => {
      const mode = `${ISOLATION_SQL[options.isolation ?? 'read-committed']}${options.readOnly ? ' READ ONLY' : ''}`;
      await tx.exec(`SET TRANSACTION ISOLATION LEVEL ${mode}`);
      if (options.timeoutMs) await runQuery(tx, sql`SELECT set_config('statement_timeout', ${String(options.timeoutMs)}, true)`);
      return fn({ query: (query) => runQuery(tx, query) });
    });
  }

  async *stream<R = Row>(query: Sql, batchSize = 1000): AsyncIterable<R[]> {
    // The embedded database has one connection: a cursor would hold it (and every other request) for
    // the whole stream, so the result is read at once and handed out in batches.
    const { rows } = await runQuery<R>(this.db, query);
    for (let start = 0; start < rows.length; start += batchSize) yield rows.slice(start, start + batchSize);
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const stop = await this.db.listen(channel, handler);
    return async () => stop();
  }

  onListenerReconnect(_handler: () => void): void {
    // One in-process connection: it cannot be lost.
  }

  /** A gzipped copy of the data folder (used to build test templates). */
  dump(): Promise<Blob> {
    return this.db.dumpDataDir('gzip') as Promise<Blob>;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
