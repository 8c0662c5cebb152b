/**
 * A real PostgreSQL through a pg pool. Statements marked prepare are named and prepared once per
 * connection; every session runs in UTC with the configured timeouts (database-timeouts.ts). LISTEN
 * uses one dedicated connection, the health check another. Statements with a timeout (searches) run
 * on a second pool whose sessions carry that statement_timeout, so a search is one round trip
 * instead of four (BEGIN, set_config, the query, COMMIT). Every client is held through HeldClient
 * (pg-held-client.ts): errors of its connection fail the request, not the process, and a request's
 * AbortSignal cancels its statement.
 */
import pg from 'pg';
import { compile, ISOLATION_SQL, sql, type Sql } from '../sql/index.js';
import type { Database, DatabaseLog, QueryOptions, QueryResult, Queryable, QueueKey, Row, StreamOptions, TransactionOptions } from './database.js';
import { DatabaseOutage } from './database-outage.js';
import { answerTimeoutMs, DEFAULT_DATABASE_TIMEOUTS, timeoutSessionOptions, type DatabaseTimeouts } from './database-timeouts.js';
import { HeldClient } from './pg-held-client.js';
import { textParsers } from './type-parsers.js';
import { SESSION_SETTINGS } from './session-client.js';

export interface PostgresOptions {
  connectionString: string;
  poolSize: number;
  applicationName?: string;
  /** The time limits of connections and sessions; DEFAULT_DATABASE_TIMEOUTS when absent. */
  timeouts?: Partial<DatabaseTimeouts>;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = textParsers[oid];
    if (parser) return parser;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** The session locks of transaction queues (TransactionOptions.queue), held from before BEGIN to after COMMIT, taken in array order. */
const QUEUE_LOCK = `SELECT count(CASE WHEN shared THEN pg_advisory_lock_shared(hashtextextended(key, 1))
  ELSE pg_advisory_lock(hashtextextended(key, 1)) END) FROM unnest($1::text[], $2::bool[]) AS queue(key, shared)`;
const QUEUE_UNLOCK = `SELECT count(CASE WHEN shared THEN pg_advisory_unlock_shared(hashtextextended(key, 1))
  ELSE pg_advisory_unlock(hashtextextended(key, 1)) END) FROM unnest($1::text[], $2::bool[]) AS queue(key, shared)`;
const queueValues = (queue: readonly QueueKey[]) => [queue.map((q) => q.key), queue.map((q) => q.shared === true)];

const statementNames = new Map<string, string>();
/**
 * The most distinct statements a process prepares (each connection keeps the ones it ran). Reads
 * under row rules vary in text with the rules' shapes, so the number is bounded: past it, a new
 * statement runs unnamed (parsed and planned each time), and nothing grows further.
 */
const MAX_PREPARED_STATEMENTS = 2_000;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `flint_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

async function runQuery<R>(client: HeldClient, query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
  const { text, values } = compile(query);
  const name = options?.prepare ? statementName(text) : undefined;
  const config: pg.QueryConfig = name ? { name, text, values } : { text, values };
  const result = await client.query(config);
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

/** Pools with a session statement_timeout, one per timeout; other timeouts fall back to SET LOCAL. */
const MAX_TIMED_POOLS = 2;

/** The wait of the health check's own connection for a connection and an answer. */
const HEALTH_CONNECTION_TIMEOUT_MS = 1000;

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
  private readonly timeouts: DatabaseTimeouts;
  private readonly healthPool: pg.Pool;
  private readonly cancelTarget: { host: string; port: number };
  /** The outage state: one log line when the database becomes unreachable, one when it is back. */
  readonly outage = new DatabaseOutage();

  constructor(options: PostgresOptions) {
    this.connectionString = options.connectionString;
    this.poolSize = options.poolSize;
    this.applicationName = options.applicationName ?? 'flint';
    this.timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
    this.pool = this.newPool(this.sessionOptions());
    // Its own connection, so that /health does not queue behind a pool taken by slow requests.
    this.healthPool = this.newPool(this.sessionOptions(), { max: 1, connectionTimeoutMillis: HEALTH_CONNECTION_TIMEOUT_MS });
    const params = new pg.Client({ connectionString: this.connectionString });
    this.cancelTarget = { host: params.host, port: params.port };
  }

  private sessionOptions(statementMs = this.timeouts.statementMs): string {
    return `${SESSION_SETTINGS} ${timeoutSessionOptions({ ...this.timeouts, statementMs })}`;
  }

  private newPool(sessionOptions: string, overrides: pg.PoolConfig = {}): pg.Pool {
    const keepAlive = this.timeouts.keepAliveMs > 0;
    const pool = new pg.Pool({
      connectionString: this.connectionString, max: this.poolSize, application_name: this.applicationName, options: sessionOptions, types,
      connectionTimeoutMillis: this.timeouts.connectMs, keepAlive, keepAliveInitialDelayMillis: keepAlive ? this.timeouts.keepAliveMs : undefined,
      ...overrides,
    });
    // An idle client that loses its connection must not crash the process; nor may any client at
    // a moment when neither the pool (idle) nor HeldClient (held) listens, so each has a listener
    // of its own for its whole life.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return pool;
  }

  useLog(log: DatabaseLog): void {
    this.outage.useLog(log);
  }

  /** The pool whose sessions have this statement timeout; undefined when there are enough such pools already. */
  private timedPool(timeoutMs: number): pg.Pool | undefined {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) return undefined;
    if (timeoutMs === this.timeouts.statementMs) return this.pool;
    let pool = this.timedPools.get(timeoutMs);
    if (!pool && this.timedPools.size < MAX_TIMED_POOLS) {
      pool = this.newPool(this.sessionOptions(timeoutMs));
      this.timedPools.set(timeoutMs, pool);
    }
    return pool;
  }

  private take(pool: pg.Pool, statementMs: number, signal?: AbortSignal): Promise<HeldClient> {
    return HeldClient.take(pool, { outage: this.outage, cancelTarget: this.cancelTarget, signal, answerTimeoutMs: answerTimeoutMs(statementMs) });
  }

  async query<R = Row>(query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
    const timeoutMs = options?.timeoutMs ?? 0;
    if (options?.noTimeout) return this.withoutTimeout(query, options);
    const pool = timeoutMs > 0 ? this.timedPool(timeoutMs) : this.pool;
    if (!pool) return this.transaction((tx) => tx.query<R>(query, { prepare: options?.prepare }), { timeoutMs, signal: options?.signal });
    const client = await this.take(pool, timeoutMs > 0 ? timeoutMs : this.timeouts.statementMs, options?.signal);
    try {
      return await runQuery<R>(client, query, options);
    } finally {
      client.release();
    }
  }

  /** A statement with no time limit (index builds): the session's timeout is lifted for it alone. */
  private async withoutTimeout<R>(query: Sql, options: QueryOptions): Promise<QueryResult<R>> {
    const client = await this.take(this.pool, 0, options.signal);
    try {
      await client.query({ text: 'SET statement_timeout = 0' });
      const result = await runQuery<R>(client, query, options);
      await client.query({ text: 'RESET statement_timeout' });
      return result;
    } catch (error) {
      client.discard();
      throw error;
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 0;
    const timed = timeoutMs > 0 ? this.timedPool(timeoutMs) : undefined;
    const client = await this.take(timed ?? this.pool, timeoutMs > 0 ? timeoutMs : this.timeouts.statementMs, options.signal);
    let queued = false;
    try {
      if (options.queue !== undefined && options.queue.length > 0) {
        queued = true; // before: a lock statement that fails part way may hold some of the locks
        await client.query({ text: QUEUE_LOCK, values: queueValues(options.queue) });
      }
      const mode = `${ISOLATION_SQL[options.isolation ?? 'read-committed']}${options.readOnly ? ' READ ONLY' : ''}`;
      await client.query({ text: `BEGIN ISOLATION LEVEL ${mode}` });
      if (timeoutMs > 0 && !timed) await runQuery(client, sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`);
      const tx: Queryable = { query: (query, queryOptions) => runQuery(client, query, queryOptions) };
      try {
        const result = await fn(tx);
        await client.query({ text: 'COMMIT' });
        return result;
      } catch (error) {
        await client.query({ text: 'ROLLBACK' }).catch(() => client.discard());
        throw error;
      }
    } finally {
      if (queued) await client.query({ text: QUEUE_UNLOCK, values: queueValues(options.queue ?? []) }).catch(() => client.discard());
      client.release();
    }
  }

  async *stream<R = Row>(query: Sql, batchSize = 1000, options: StreamOptions = {}): AsyncIterable<R[]> {
    const client = await this.take(this.pool, this.timeouts.statementMs, options.signal);
    const { text, values } = compile(query);
    let open = false;
    try {
      await client.query({ text: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' });
      open = true;
      await client.query({ text: `DECLARE flint_stream NO SCROLL CURSOR FOR ${text}`, values });
      for (;;) {
        const batch = await client.query({ text: `FETCH ${batchSize} FROM flint_stream` });
        if (batch.rows.length > 0) yield batch.rows as R[];
        if (batch.rows.length < batchSize) break;
      }
    } finally {
      if (open) await client.query({ text: 'ROLLBACK' }).catch(() => client.discard());
      client.release();
    }
  }

  /** SELECT 1 on the health check's own connection, within timeoutMs. */
  async ping(timeoutMs: number): Promise<void> {
    const client = await HeldClient.take(this.healthPool, { outage: this.outage, cancelTarget: this.cancelTarget, answerTimeoutMs: timeoutMs });
    try {
      await client.query({ text: 'SELECT 1' });
    } catch (error) {
      client.discard();
      throw error;
    } finally {
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
    const keepAlive = this.timeouts.keepAliveMs > 0;
    const client = new pg.Client({
      connectionString: this.connectionString, options: '-c TimeZone=UTC', types, connectionTimeoutMillis: this.timeouts.connectMs,
      keepAlive, keepAliveInitialDelayMillis: keepAlive ? this.timeouts.keepAliveMs : undefined,
    });
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
    await Promise.all([this.pool, this.healthPool, ...this.timedPools.values()].map((pool) => pool.end()));
  }
}
