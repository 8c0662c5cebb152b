/**
 * Running writes in transactions: the isolation level (SERIALIZABLE unless lowered), and retries of
 * serialization failures and deadlocks with jittered backoff before answering 409.
 */
import type { IsolationLevel } from '../sql/index.js';
import type { Database, Queryable } from './database.js';
import { isRetryableTransactionError, translateDatabaseError } from './database-errors.js';

export interface RetryOptions {
  isolation: IsolationLevel;
  /** Attempts after the first one. */
  retries: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs fn in a transaction, retrying it whole when PostgreSQL reports a serialization failure. */
export async function runTransaction<T>(
  db: Database,
  fn: (tx: Queryable) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(fn, { isolation: options.isolation });
    } catch (error) {
      if (!isRetryableTransactionError(error) || attempt >= options.retries) throw translateDatabaseError(error);
      await sleep(Math.random() * 5 * 2 ** attempt);
    }
  }
}
