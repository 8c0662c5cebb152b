/**
 * A request's view of the database: the same database, with the request's AbortSignal given to
 * every query, transaction and stream, so that work of a request whose client went away is
 * cancelled wherever it runs (the engine wraps its context's database once per request).
 */
import type { Sql } from '../sql/index.js';
import type { Database, DatabaseLog, QueryOptions, QueryResult, Queryable, Row, StreamOptions, TransactionOptions } from './database.js';

class SignalledDatabase implements Database {
  constructor(readonly inner: Database, readonly signal: AbortSignal) {}

  get kind() {
    return this.inner.kind;
  }

  query<R = Row>(query: Sql, options?: QueryOptions): Promise<QueryResult<R>> {
    return this.inner.query<R>(query, { ...options, signal: this.signal });
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.inner.transaction(fn, { ...options, signal: this.signal });
  }

  stream<R = Row>(query: Sql, batchSize?: number, options?: StreamOptions): AsyncIterable<R[]> {
    return this.inner.stream<R>(query, batchSize, { ...options, signal: this.signal });
  }

  ping(timeoutMs: number): Promise<void> {
    return this.inner.ping(timeoutMs);
  }

  useLog(log: DatabaseLog): void {
    this.inner.useLog(log);
  }

  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    return this.inner.listen(channel, handler);
  }

  onListenerReconnect(handler: () => void): void {
    this.inner.onListenerReconnect(handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The database with the signal on all its work (the database itself without a signal). */
export function withSignal(db: Database, signal: AbortSignal | undefined): Database {
  if (!signal) return db;
  const base = db instanceof SignalledDatabase ? db.inner : db;
  return new SignalledDatabase(base, signal);
}
