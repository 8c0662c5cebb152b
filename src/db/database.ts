/**
 * The database interface the rest of Flint sees: run a compiled query, run a function in a
 * transaction at a chosen isolation level, stream large results, LISTEN to a channel. Two
 * implementations share it: a real PostgreSQL (pg pool, prepared statements) and the embedded PGlite.
 */
import type { IsolationLevel, Sql } from '../sql/index.js';

export type Row = Record<string, unknown>;

export interface QueryResult<R = Row> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /** Prepare the statement once per connection and reuse it (hot paths with fixed text). */
  prepare?: boolean;
  /**
   * Cancel the statement after this many milliseconds (statement_timeout; 57014 when it fires).
   * Honoured by Database.query; inside a transaction, the transaction's own timeout applies.
   * Absent or 0: the session's statement timeout (FLINT_DB_STATEMENT_TIMEOUT_MS).
   */
  timeoutMs?: number;
  /** No statement timeout at all (index builds, which may rightly take long). Database.query only. */
  noTimeout?: boolean;
  /** The request's signal: when it aborts, the running statement is cancelled (Database.query only). */
  signal?: AbortSignal;
}

export interface Queryable {
  query<R = Row>(query: Sql, options?: QueryOptions): Promise<QueryResult<R>>;
}

/** A queue a transaction waits in: alone (exclusive), or beside others holding it shared. */
export interface QueueKey {
  key: string;
  shared?: boolean;
}

export interface TransactionOptions {
  isolation?: IsolationLevel;
  readOnly?: boolean;
  /**
   * Transactions sharing a queue key run one after another: the keys' locks are taken, in the
   * order given, before BEGIN and released after COMMIT, so a REPEATABLE READ or SERIALIZABLE
   * snapshot already sees the previous one's writes instead of missing or conflicting with them.
   * Callers give the keys in one global order (see transactions.ts). (One connection, as in
   * PGlite, queues anyway.)
   */
  queue?: readonly QueueKey[];
  /** The statement timeout of every statement in the transaction, in milliseconds (0 or absent: the session's). */
  timeoutMs?: number;
  /**
   * The request's signal: when it aborts, the running statement is cancelled, no further one runs,
   * and the transaction rolls back (the request's client went away).
   */
  signal?: AbortSignal;
}

export interface StreamOptions {
  /** The request's signal: when it aborts, the running FETCH is cancelled and the stream ends with an error. */
  signal?: AbortSignal;
}

/** Where a database reports the start and end of an outage (the server's log). */
export interface DatabaseLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs fn in one transaction (BEGIN ... COMMIT, ROLLBACK on error). No retries here. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Streams the rows of a query in batches (a server-side cursor inside a read-only transaction). */
  stream<R = Row>(query: Sql, batchSize?: number, options?: StreamOptions): AsyncIterable<R[]>;
  /** Checks that the database answers (SELECT 1) within timeoutMs, on PostgreSQL over a connection of its own. */
  ping(timeoutMs: number): Promise<void>;
  /** Gives the database the server's log, for the lines that say an outage started and ended. */
  useLog(log: DatabaseLog): void;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /** Called after the listening connection was lost and re-established (notifications may have been missed). */
  onListenerReconnect(handler: () => void): void;
  close(): Promise<void>;
}

/** A PostgreSQL error as both drivers report it. */
export interface DatabaseErrorLike {
  code?: string;
  message: string;
  position?: string;
  detail?: string;
  hint?: string;
}

export function isDatabaseError(error: unknown): error is DatabaseErrorLike & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
    && /^[0-9A-Z]{5}$/.test((error as unknown as { code: string }).code);
}
