/**
 * Every write runs in a transaction: SERIALIZABLE by default, lowered per request with the
 * x-max-isolation-level header, retried on serialization failures. A write of one resource by id
 * runs at READ COMMITTED under that resource's row lock, so its concurrent writers queue; a
 * conditional write waits in its criteria's queue (write-queue.ts) before it begins, whatever the
 * isolation level. The transaction records the changes it makes; after commit they go to the hooks.
 * Inside a transaction Bundle the Bundle's transaction is used instead (it queued for its entries).
 */
import { runTransaction } from '../db/index.js';
import { isIsolationLevel, lowerIsolation, type IsolationLevel } from '../sql/index.js';
import type { ResourceChange, WriteTx } from '../storage/index.js';
import type { EngineContext } from './engine-context.js';
import { engineErrors } from './engine-errors.js';
import type { FhirRequest } from './fhir-request.js';
import type { ValidationsAhead } from './validation-ahead.js';

/** Set when the interaction runs as an entry of a transaction Bundle. */
export interface Scope {
  tx?: WriteTx;
  /** Type/id of every resource the transaction Bundle creates or updates (references to them resolve). */
  targets?: ReadonlySet<string>;
  /** Validations the transaction started ahead of its writes (see validation-ahead.ts). */
  ahead?: ValidationsAhead;
  /** The queue keys the transaction Bundle waited in before it began (see write-queue.ts). */
  queued?: ReadonlySet<string>;
}

export function isolationFor(ctx: EngineContext, request: FhirRequest): IsolationLevel {
  const header = request.headers['x-max-isolation-level']?.trim().toLowerCase();
  if (header === undefined || header === '') return ctx.config.defaultIsolation;
  if (!isIsolationLevel(header)) {
    throw engineErrors['rest.bad-isolation-level']({ header });
  }
  return lowerIsolation(header, ctx.config.defaultIsolation);
}

/** Hands committed changes to the hooks; a failing hook is logged, the write stays committed. */
export async function runAfterCommit(ctx: EngineContext, changes: ResourceChange[]): Promise<void> {
  if (changes.length === 0) return;
  for (const hook of ctx.hooks) {
    if (!hook.afterCommit) continue;
    try {
      await hook.afterCommit(changes);
    } catch (error) {
      ctx.log.error({ err: error }, 'a hook failed after commit');
    }
  }
}

/** How a write outside a Bundle needs its transaction. */
export interface WriteMode {
  /**
   * The write reads nothing but the one resource it names by id, under that row's lock (or the
   * id's lock when there is no row yet). READ COMMITTED is then as safe as SERIALIZABLE, and
   * concurrent writers of the resource wait for each other instead of aborting.
   */
  byIdUnderLock?: boolean;
  /** The write's queue keys (write-queue.ts): writes sharing one run one after another. */
  queue?: string[];
}

/** Inside a Bundle, the Bundle's transaction must already have waited in the write's queues. */
function checkQueued(scope: Scope, queue: string[] | undefined): void {
  const missing = (queue ?? []).filter((key) => !scope.queued?.has(key));
  if (missing.length > 0) {
    throw engineErrors['engine.write-not-queued']({ detail: `The transaction did not queue on ${missing.join(', ')} before it began` });
  }
}

export async function inWriteTransaction<T>(
  ctx: EngineContext, request: FhirRequest, scope: Scope, fn: (tx: WriteTx) => Promise<T>, mode: WriteMode = {},
): Promise<T> {
  if (scope.tx) {
    checkQueued(scope, mode.queue);
    return fn(scope.tx);
  }
  // The header is checked even where READ COMMITTED is used, so a bad value is refused alike.
  const requested = isolationFor(ctx, request);
  const isolation = mode.byIdUnderLock ? 'read-committed' : requested;
  let committed: ResourceChange[] = [];
  const result = await runTransaction(ctx.db, async (tx) => {
    const writeTx: WriteTx = { query: (query, options) => tx.query(query, options), changes: [], caller: request.caller };
    const value = await fn(writeTx);
    committed = writeTx.changes;
    return value;
  }, { isolation, retries: ctx.config.transactionRetries, queue: mode.queue });
  await runAfterCommit(ctx, committed);
  return result;
}
