/**
 * Running writes in transactions: the isolation level (SERIALIZABLE unless lowered), and retries of
 * serialization failures and deadlocks with jittered backoff before answering 409 (which says that
 * the retries ran out).
 */
import { FhirError } from '../core/index.js';
import type { IsolationLevel } from '../sql/index.js';
import type { Database, Queryable } from './database.js';
import { isRetryableTransactionError, translateDatabaseError } from './database-errors.js';

export interface RetryOptions {
  isolation: IsolationLevel;
  /** Attempts after the first one. */
  retries: number;
  /** Transactions with the same key queue instead of conflicting (TransactionOptions.queue). */
  queue?: string;
}

/** The 409 after the last retry: the outcome says how often the transaction was tried. */
function retriesExhausted(error: unknown, attempts: number): FhirError {
  return new FhirError('conflict', 'db.retries-exhausted',
    `The transaction conflicted with concurrent transactions on each of ${attempts} attempts `
    + `(${attempts - 1} retries after serialization failures or deadlocks) and was given up; retry it`,
    { issueType: 'transient', cause: error });
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
      return await db.transaction(fn, { isolation: options.isolation, queue: options.queue });
    } catch (error) {
      if (!isRetryableTransactionError(error)) throw translateDatabaseError(error);
      if (attempt >= options.retries) throw retriesExhausted(error, attempt + 1);
      await sleep(Math.random() * 5 * 2 ** attempt);
    }
  }
}
