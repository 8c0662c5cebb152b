/**
 * Running writes in transactions: the isolation level (SERIALIZABLE unless lowered), the queues a
 * transaction waits in before it begins, and retries of serialization failures and deadlocks with
 * jittered backoff before answering 409 (which says that the retries ran out). A retry also waits
 * in the retry queue, so transactions that conflicted once run their retries one at a time instead
 * of conflicting again with each other.
 */
import type { FhirError } from '../core/index.js';
import type { IsolationLevel } from '../sql/index.js';
import type { Database, Queryable, QueueKey } from './database.js';
import { isRetryableTransactionError, translateDatabaseError } from './database-errors.js';
import { dbErrors } from './db-errors.js';

export interface RetryOptions {
  isolation: IsolationLevel;
  /** Attempts after the first one. */
  retries: number;
  /** Transactions sharing a key queue instead of conflicting (TransactionOptions.queue); any order, repeats allowed. */
  queue?: readonly string[];
}

/** The queue every retry waits in (before its own keys). */
export const RETRY_QUEUE = 'flint:retry';
/** Every transaction with keys holds this queue shared; one with more than MAX_QUEUE_KEYS holds it alone instead. */
export const ALL_QUEUES = 'flint:all';
/** The most keys a transaction locks one by one (each is an entry of PostgreSQL's shared lock table). */
export const MAX_QUEUE_KEYS = 64;

/**
 * The queues of an attempt, in the one order every transaction takes them (retry, all, then the
 * keys sorted), so that no two transactions wait for each other in a circle.
 */
export function queueKeys(keys: readonly string[] | undefined, attempt: number): QueueKey[] {
  const sorted = [...new Set(keys ?? [])].sort();
  const queues: QueueKey[] = attempt > 0 ? [{ key: RETRY_QUEUE }] : [];
  if (sorted.length > MAX_QUEUE_KEYS) return [...queues, { key: ALL_QUEUES }];
  if (sorted.length === 0) return queues;
  return [...queues, { key: ALL_QUEUES, shared: true }, ...sorted.map((key) => ({ key }))];
}

/** The 409 after the last retry: the outcome says how often the transaction was tried. */
function retriesExhausted(error: unknown, attempts: number): FhirError {
  return dbErrors['db.retries-exhausted']({ attempts }, { cause: error, headers: { 'retry-after': '1' } });
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
      return await db.transaction(fn, { isolation: options.isolation, queue: queueKeys(options.queue, attempt) });
    } catch (error) {
      if (!isRetryableTransactionError(error)) throw translateDatabaseError(error);
      if (attempt >= options.retries) throw retriesExhausted(error, attempt + 1);
      await sleep(Math.random() * 5 * 2 ** attempt);
    }
  }
}
