/**
 * A pg client taken from a pool for one piece of work (a statement, a transaction, a stream). While
 * it is held it has an 'error' listener, so a connection ended under it (pg_terminate_backend, a
 * restart, a failover) fails the work instead of the process; a client whose connection failed, or
 * whose statement was cancelled, is discarded at release, never reused. A request's AbortSignal
 * cancels the running statement (PostgreSQL's cancel request) and refuses the next one. Every
 * statement waits for its answer at most its statement timeout and a grace (database-timeouts.ts).
 * Failures and successes feed the database's outage state (database-outage.ts).
 */
import type pg from 'pg';
import { sendCancelRequest, type CancelTarget } from './cancel-request.js';
import { clientClosedError } from './database-errors.js';
import { isOutageError, type DatabaseOutage } from './database-outage.js';

export interface HoldOptions {
  outage: DatabaseOutage;
  cancelTarget: CancelTarget;
  signal?: AbortSignal;
  /** The driver's wait for each answer, in milliseconds (undefined: no limit). */
  answerTimeoutMs?: number;
}

type CancellableClient = pg.PoolClient & { processID?: number; secretKey?: number; connectedAt?: number };

export class HeldClient {
  private broken = false;
  /** The failure that lost the connection: later statements fail with it at once instead of waiting. */
  private lost?: unknown;
  private cancelled = false;
  private released = false;
  private readonly onError = (error: Error) => this.lose(error);
  private readonly onAbort = () => this.cancel();

  private constructor(private readonly client: CancellableClient, private readonly options: HoldOptions) {
    client.on('error', this.onError);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Takes a client from the pool (failing fast when the request is already gone). */
  static async take(pool: pg.Pool, options: HoldOptions): Promise<HeldClient> {
    if (options.signal?.aborted) throw clientClosedError();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      if (isOutageError(error)) options.outage.failed(error);
      throw error;
    }
    (client as CancellableClient).connectedAt ??= Date.now();
    const held = new HeldClient(client, options);
    if (options.signal?.aborted) held.cancel();
    return held;
  }

  /** Runs one statement; a statement after the request went away is refused. */
  async query(config: pg.QueryConfig): Promise<pg.QueryResult> {
    if (this.cancelled) throw clientClosedError();
    if (this.lost !== undefined) throw this.lost;
    try {
      const result = await this.client.query({ ...config, query_timeout: this.options.answerTimeoutMs } as pg.QueryConfig);
      this.options.outage.succeeded(this.client.connectedAt ?? 0);
      return result;
    } catch (error) {
      if (isOutageError(error)) this.lose(error);
      if (this.cancelled) throw clientClosedError();
      throw error;
    }
  }

  /** Marks the connection as unusable after a statement that failed for a reason of its own (a failed ROLLBACK). */
  discard(): void {
    this.broken = true;
  }

  /** Gives the client back to the pool, or ends its connection when it cannot be trusted. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    // The listener stays: an 'error' may still come from the connection as it closes.
    if (!this.broken && !this.cancelled) this.client.removeListener('error', this.onError);
    this.client.release(this.broken || this.cancelled);
  }

  private lose(error: unknown): void {
    if (this.lost === undefined) this.options.outage.failed(error);
    this.lost ??= error;
    this.broken = true;
  }

  /** Stops the running statement; the connection is ended at release, so a late cancel hits no other work. */
  private cancel(): void {
    if (this.cancelled || this.released) return;
    this.cancelled = true;
    const { processID, secretKey } = this.client;
    if (typeof processID === 'number' && typeof secretKey === 'number') sendCancelRequest(this.options.cancelTarget, processID, secretKey);
  }
}
