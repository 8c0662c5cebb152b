/**
 * A real PostgreSQL through a pg pool. Statements marked prepare are named and prepared once per
 * connection; every session runs in UTC. LISTEN uses one dedicated connection. Statements with a
 * timeout (searches) run on a second pool whose sessions carry that statement_timeout, so a search
 * is one round trip instead of four (BEGIN, set_config, the query, COMMIT).
 */
import pg from 'pg';
import { compile, ISOLATION_SQL, sql, type Sql } from '../sql/index.js';
import type { Database, QueryOptions, QueryResult, Queryable, Row, TransactionOptions } from './database.js';
import { textParsers } from './type-parsers.js';

export interface PostgresOptions {
  connectionString: string;
  poolSize: number;
  applicationName?: string;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = textParsers[oid];
    if (parser) return parser;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** The session lock of a transaction queue (TransactionOptions.queue), held from before BEGIN to after COMMIT. */
const QUEUE_LOCK = 'SELECT pg_advisory_lock(hashtextextended($1, 1))';
const QUEUE_UNLOCK = 'SELECT pg_advisory_unlock(hashtextextended($1, 1))';

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `flint_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

async function runQuery<R>(client: pg.Pool | pg.PoolClient, query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
  const { text, values } = compile(query);
  const config: pg.QueryConfig = options?.prepare ? { name: statementName(text), text, values } : { text, values };
  const result = await client.query(config);
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

/** Pools with a session statement_timeout, one per timeout; other timeouts fall back to SET LOCAL. */
const MAX_TIMED_POOLS = 2;

/**
 * The settings of every session: UTC, and JIT off. The search key functions' declared cost lifts
 * many search plans over jit_above_cost, and compiling such a plan took up to two seconds (a chain
 * at 100,000 patients) for nothing: the PL/pgSQL functions are not compiled. (PGlite has no JIT.)
 */
const SESSION_SETTINGS = '-c TimeZone=UTC -c jit=off';

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly timedPools = new Map<number, pg.Pool>();
  private readonly poolSize: number;
  private readonly applicationName: string;
  private listener?: pg.Client;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private closed = false;
  /** The connection string given (the $sql sandbox logs in to the same database as another role). */
  readonly connectionString: string;

  constructor(options: PostgresOptions) {
    this.connectionString = options.connectionString;
    this.poolSize = options.poolSize;
    this.applicationName = options.applicationName ?? 'flint';
    this.pool = this.newPool(SESSION_SETTINGS);
  }

  private newPool(sessionOptions: string): pg.Pool {
    const pool = new pg.Pool({
      connectionString: this.connectionString, max: this.poolSize, application_name: this.applicationName, options: sessionOptions, types,
    });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => undefined);
    return pool;
  }

  /** The pool whose sessions have this statement timeout; undefined when there are enough such pools already. */
  private timedPool(timeoutMs: number): pg.Pool | undefined {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) return undefined;
    let pool = this.timedPools.get(timeoutMs);
    if (!pool && this.timedPools.size < MAX_TIMED_POOLS) {
      pool = this.newPool(`${SESSION_SETTINGS} -c statement_timeout=${timeoutMs}`);
      this.timedPools.set(timeoutMs, pool);
    }
    return pool;
  }

  query<R = Row>(query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
    const timeoutMs = options?.timeoutMs ?? 0;
    if (timeoutMs <= 0) return runQuery<R>(this.pool, query, options);
    const pool = this.timedPool(timeoutMs);
    if (pool) return runQuery<R>(pool, query, options);
    return this.transaction((tx) => tx.query<R>(query, { prepare: options?.prepare }), { timeoutMs });
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 0;
    const timed = timeoutMs > 0 ? this.timedPool(timeoutMs) : undefined;
    const client = await (timed ?? this.pool).connect();
    let broken = false;
    let queued = false;
    try {
      if (options.queue !== undefined) {
        await client.query({ text: QUEUE_LOCK, values: [options.queue] });
        queued = true;
      }
      const mode = `${ISOLATION_SQL[options.isolation ?? 'read-committed']}${options.readOnly ? ' READ ONLY' : ''}`;
      await client.query(`BEGIN ISOLATION LEVEL ${mode}`);
      if (timeoutMs > 0 && !timed) await runQuery(client, sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`);
      const tx: Queryable = { query: (query, queryOptions) => runQuery(client, query, queryOptions) };
      try {
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => { broken = true; });
        throw error;
      }
    } finally {
      if (queued && !broken) await client.query({ text: QUEUE_UNLOCK, values: [options.queue] }).catch(() => { broken = true; });
      client.release(broken);
    }
  }

  async *stream<R = Row>(query: Sql, batchSize = 1000): AsyncIterable<R[]> {
    const client = await this.pool.connect();
    const { text, values } = compile(query);
    let open = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      await client.query({ text: `DECLARE flint_stream NO SCROLL CURSOR FOR ${text}`, values });
      for (;;) {
        const batch = await client.query(`FETCH ${batchSize} FROM flint_stream`);
        if (batch.rows.length > 0) yield batch.rows as R[];
        if (batch.rows.length < batchSize) break;
      }
    } finally {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.listenerClient();
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
    };
  }

  onListenerReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  private async listenerClient(): Promise<pg.Client> {
    if (this.listener) return this.listener;
    const client = new pg.Client({ connectionString: this.connectionString, options: '-c TimeZone=UTC', types });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      if (!this.closed) void this.reconnectListener(1);
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    this.listener = client;
    return client;
  }

  /** Re-establishes LISTEN after the connection was lost, with backoff, then tells the reconnect handlers. */
  private async reconnectListener(attempt: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 5000)));
    if (this.closed) return;
    try {
      const client = await this.listenerClient();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      for (const handler of this.reconnectHandlers) handler();
    } catch {
      this.listener = undefined;
      void this.reconnectListener(attempt + 1);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
    await Promise.all([this.pool, ...this.timedPools.values()].map((pool) => pool.end()));
  }
}
