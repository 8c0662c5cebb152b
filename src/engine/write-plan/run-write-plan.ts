/**
 * The executor of write plans: the one way a create, update, patch or delete runs, for a single
 * request and for an entry of a transaction Bundle alike. A plan is checked by the validator (its
 * resource, before any lock is taken), its transaction takes the plan's queue keys (or, inside a
 * Bundle, checks the Bundle took them), its target is resolved, and the write is made.
 */
import { isUniqueViolation } from '../../db/index.js';
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirResponse } from '../fhir-request.js';
import { validateForWrite } from '../resource-input.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { writeCreate } from './create-step.js';
import { writeDelete } from './delete-step.js';
import { writePatch } from './patch-step.js';
import { resolveWrite, type Resolution } from './resolve-write.js';
import { writeUpdate } from './update-step.js';
import { isByIdUnderLock, planQueueKeys, type WritePlan } from './write-plan.js';

/** Validates the resource a create or update writes (a patch validates its result when it has it). */
export async function validatePlan(ctx: EngineContext, plan: WritePlan, scope: Scope): Promise<void> {
  if (plan.kind === 'create' || plan.kind === 'update') await validateForWrite(ctx, plan.resource, plan.kind, { request: plan.request, scope });
}

/** Makes the write a resolved plan describes, in the transaction. */
export function writeResolved(ctx: EngineContext, tx: WriteTx, plan: WritePlan, resolution: Resolution, scope: Scope): Promise<FhirResponse> {
  switch (plan.kind) {
    case 'create': return writeCreate(ctx, tx, plan, resolution);
    case 'update': return writeUpdate(ctx, tx, plan, resolution);
    case 'patch': return writePatch(ctx, tx, plan, resolution, scope);
    case 'delete': return writeDelete(ctx, tx, plan, resolution);
  }
}

/** Runs a write; a concurrent create of the same id (unique violation) reruns it once, then as an update. */
async function withCreateRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return run();
  }
}

/**
 * Runs a plan: validation, then in the write transaction (the scope's, inside a Bundle) the
 * resolution of its target, unless the caller resolved it already, and the write.
 */
export async function runWritePlan(ctx: EngineContext, plan: WritePlan, scope: Scope = {}, resolution?: Resolution): Promise<FhirResponse> {
  await validatePlan(ctx, plan, scope);
  const run = () => inWriteTransaction(ctx, plan.request, scope,
    async (tx) => {
      const from = tx.changes.length;
      const response = await writeResolved(ctx, tx, plan, resolution ?? await resolveWrite(ctx, tx, plan), scope);
      // Audited in the write's transaction: the record commits or rolls back with the write.
      if (ctx.audit) await ctx.audit.write(tx, plan, response, tx.changes.slice(from));
      return response;
    },
    { queue: planQueueKeys(plan), byIdUnderLock: isByIdUnderLock(plan) });
  // An update by id may race a concurrent create of that id; inside a Bundle the Bundle retries.
  return plan.kind === 'update' && plan.target.by === 'id' && !scope.tx ? withCreateRace(run) : run();
}
