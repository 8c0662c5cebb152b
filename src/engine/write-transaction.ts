/**
 * Every write runs in a transaction: SERIALIZABLE by default, lowered per request with the
 * x-max-isolation-level header, retried on serialization failures. Inside a transaction Bundle the
 * Bundle's transaction is used instead.
 */
import { invalid } from '../core/index.js';
import { runTransaction, type Queryable } from '../db/index.js';
import { isIsolationLevel, lowerIsolation, type IsolationLevel } from '../sql/index.js';
import type { EngineContext } from './engine-context.js';
import type { FhirRequest } from './fhir-request.js';

/** Set when the interaction runs as an entry of a transaction Bundle. */
export interface Scope {
  tx?: Queryable;
  /** Type/id of every resource the transaction Bundle creates or updates (references to them resolve). */
  targets?: ReadonlySet<string>;
}

export function isolationFor(ctx: EngineContext, request: FhirRequest): IsolationLevel {
  const header = request.headers['x-max-isolation-level']?.trim().toLowerCase();
  if (header === undefined || header === '') return ctx.config.defaultIsolation;
  if (!isIsolationLevel(header)) {
    throw invalid('rest.bad-isolation-level',
      `x-max-isolation-level must be read-committed, repeatable-read or serializable, not "${header}"`);
  }
  return lowerIsolation(header, ctx.config.defaultIsolation);
}

export function inWriteTransaction<T>(
  ctx: EngineContext, request: FhirRequest, scope: Scope, fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  if (scope.tx) return fn(scope.tx);
  return runTransaction(ctx.db, fn, { isolation: isolationFor(ctx, request), retries: ctx.config.transactionRetries });
}
