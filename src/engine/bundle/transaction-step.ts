/**
 * The entries of a transaction Bundle as steps: each entry's request and, for a create, update,
 * patch or delete, its write plan (write-plan/), planned from the entry before the transaction
 * begins. Steps are data: resolving a target or rewriting references builds a new step.
 */
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import type { EngineContext } from '../engine-context.js';
import { checkRequest } from '../request-guard.js';
import { parseRoute } from '../route.js';
import { planWrite, runWritePlan, type Resolution, type WritePlan } from '../write-plan/index.js';
import type { Scope } from '../write-transaction.js';
import { entryError, type ParsedEntry } from './bundle-entries.js';

export type Dispatch = (ctx: EngineContext, request: FhirRequest, scope: Scope) => Promise<FhirResponse>;

export interface TransactionStep {
  entry: ParsedEntry;
  /** The entry's request; its body has the transaction's references resolved once they are. */
  request: FhirRequest;
  /** The write the entry makes; none for reads, searches and operations. */
  plan?: WritePlan;
  /** The plan's target when it was resolved ahead of the writes (creates and conditional updates). */
  resolution?: Resolution;
}

/** Runs a step's work; an error names the entry it comes from. */
export async function withEntry<T>(entry: ParsedEntry, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw entryError(entry.index, error);
  }
}

export async function planStep(ctx: EngineContext, entry: ParsedEntry): Promise<TransactionStep> {
  try {
    const route = parseRoute(entry.request.method, entry.request.path);
    await checkRequest(ctx, entry.request, route);
    const plan = planWrite(ctx, entry.request, route);
    return { entry, request: entry.request, plan };
  } catch (error) {
    throw entryError(entry.index, error);
  }
}

/** The type an entry's URL names (Patient in Patient/1 or Patient?identifier=x). */
export function urlType(step: TransactionStep): string {
  return step.entry.path.split('/')[0];
}

/** Type/id of the resource a write step targets by id or resolved to, if it is one resource. */
export function targetPath(step: TransactionStep): string | undefined {
  const plan = step.plan;
  if (!plan || plan.kind === 'delete') return undefined;
  const id = step.resolution?.ids[0] ?? (plan.kind !== 'create' && plan.target.by === 'id' ? plan.target.id : undefined);
  return id === undefined ? undefined : `${urlType(step)}/${id}`;
}

/** Runs a step: a write through the one executor of write plans, anything else through dispatch. */
export function runStep(ctx: EngineContext, step: TransactionStep, scope: Scope, dispatch: Dispatch): Promise<FhirResponse> {
  const plan = step.plan;
  return withEntry(step.entry, () => (plan ? runWritePlan(ctx, plan, scope, step.resolution) : dispatch(ctx, step.request, scope)));
}
