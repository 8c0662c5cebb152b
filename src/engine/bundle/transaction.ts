/**
 * transaction Bundles (http://hl7.org/fhir/R4/http.html#transaction): all entries in one database
 * transaction, in FHIR's order (DELETE, POST, PUT/PATCH, GET/HEAD), urn:uuid fullUrls and
 * conditional references resolved in every entry first, all or nothing; no resource changed by two
 * entries. Each write entry is a write plan run by the same executor as a single request
 * (write-plan/), so an entry follows every rule the request alone would.
 */
import type { Bundle, BundleEntry, Resource } from '../../core/index.js';
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { validationIssues } from '../resource-input.js';
import { rejectLargeBundle, rejectLongArraysInEntries } from '../size-limits.js';
import { ValidationsAhead } from '../validation-ahead.js';
import { resolveWrite } from '../write-plan/index.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { parseBundleEntries, type ParsedEntry } from './bundle-entries.js';
import { EntryIdentities } from './entry-identities.js';
import { entryQueueKeys } from './entry-queue.js';
import { responseEntry } from './entry-response.js';
import { fullUrlAliases, withResolvedReferences } from './transaction-references.js';
import { planStep, runStep, targetPath, withEntry, type Dispatch, type TransactionStep } from './transaction-step.js';

export type { Dispatch } from './transaction-step.js';

const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/**
 * Resolves the target of each create (new id, or the If-None-Exist match) and conditional update
 * ahead of the writes, so that fullUrls can name them in every entry.
 */
async function resolveAhead(ctx: EngineContext, tx: WriteTx, steps: TransactionStep[]): Promise<TransactionStep[]> {
  const result: TransactionStep[] = [];
  for (const step of steps) {
    const plan = step.plan;
    const ahead = plan?.kind === 'create' || (plan?.kind === 'update' && plan.target.by === 'criteria');
    result.push(plan && ahead ? { ...step, resolution: await withEntry(step.entry, () => resolveWrite(ctx, tx, plan)) } : step);
  }
  return result;
}

/** While one entry's write is in flight, the resource of the next create or update is validated. */
function validateAhead(ctx: EngineContext, step: TransactionStep | undefined, scope: Scope): void {
  const plan = step?.plan;
  if (!step || !scope.ahead || (plan?.kind !== 'create' && plan?.kind !== 'update')) return;
  const resource: Resource = plan.resource;
  scope.ahead.schedule(resource, plan.kind, () => validationIssues(ctx, resource, plan.kind, { request: step.request, scope }));
}

function checkUnique(entries: ParsedEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.fullUrl) continue;
    if (seen.has(entry.fullUrl)) {
      throw engineErrors['transaction.duplicate-full-url']({ index: entry.index, fullUrl: entry.fullUrl },
        { expression: `Bundle.entry[${entry.index}].fullUrl` });
    }
    seen.add(entry.fullUrl);
  }
}

/** Runs the steps after the deletes, in order, each response at its entry's index. */
async function runWrites(
  ctx: EngineContext, steps: TransactionStep[], scope: Scope & { ahead: ValidationsAhead }, dispatch: Dispatch, responses: FhirResponse[],
): Promise<void> {
  try {
    for (let i = 0; i < steps.length; i++) {
      const response = runStep(ctx, steps[i], scope, dispatch);
      // While this entry's write is in flight, the next entry is validated.
      validateAhead(ctx, steps[i + 1], scope);
      responses[steps[i].entry.index] = await response;
    }
  } finally {
    scope.ahead.close();
  }
}

async function processSteps(
  ctx: EngineContext, tx: WriteTx, planned: TransactionStep[], dispatch: Dispatch, queued: ReadonlySet<string>,
): Promise<FhirResponse[]> {
  const responses: FhirResponse[] = [];
  const ordered = [...planned].sort((a, b) => ORDER[a.entry.method] - ORDER[b.entry.method] || a.entry.index - b.entry.index);
  const deletes = ordered.filter((step) => step.entry.method === 'DELETE');
  // Conditional deletes are resolved before any of them runs; creates and conditional PUTs by resolveAhead.
  const identities = new EntryIdentities();
  for (const step of deletes) await withEntry(step.entry, () => identities.add(ctx, tx, step));
  for (const step of deletes) responses[step.entry.index] = await runStep(ctx, step, { tx, queued }, dispatch);
  const resolved = await resolveAhead(ctx, tx, ordered.filter((step) => step.entry.method !== 'DELETE'));
  for (const step of resolved) await withEntry(step.entry, () => identities.add(ctx, tx, step));
  const aliases = fullUrlAliases(resolved);
  const writes = await withResolvedReferences(ctx, tx, resolved, aliases);
  const updated = writes.filter((step) => step.plan?.kind === 'update').map(targetPath).filter((path): path is string => path !== undefined);
  const scope = { tx, targets: new Set([...aliases.values(), ...updated]), queued, ahead: new ValidationsAhead() };
  await runWrites(ctx, writes, scope, dispatch, responses);
  return responses;
}

export async function transaction(ctx: EngineContext, request: FhirRequest, bundle: Bundle, dispatch: Dispatch): Promise<FhirResponse> {
  rejectLargeBundle(ctx, bundle);
  rejectLongArraysInEntries(ctx, bundle);
  const entries = parseBundleEntries(bundle, request);
  checkUnique(entries);
  const planned: TransactionStep[] = [];
  for (const entry of entries) planned.push(await planStep(ctx, entry));
  const queue = entryQueueKeys(planned);
  const responses = await inWriteTransaction(ctx, request, {}, (tx) => processSteps(ctx, tx, planned, dispatch, new Set(queue)), { queue });
  const entry: BundleEntry[] = responses.map(responseEntry);
  return { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'transaction-response', entry } as Bundle };
}
