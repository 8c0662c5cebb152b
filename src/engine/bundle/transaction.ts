/**
 * transaction Bundles (http://hl7.org/fhir/R4/http.html#transaction): all entries in one database
 * transaction, in FHIR's order (DELETE, POST, PUT/PATCH, GET/HEAD), urn:uuid fullUrls and
 * conditional references resolved in every entry first, all or nothing; no resource changed by two
 * entries.
 */
import { FhirError, invalid, isResource, newResourceId, type Bundle, type BundleEntry, type Resource } from '../../core/index.js';
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext, ValidationMode } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { storageOf, validateForWrite, validationIssues } from '../resource-input.js';
import { readResponse, writeResponse } from '../resource-response.js';
import { rejectLargeBundle, rejectLongArraysInEntries } from '../size-limits.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { ValidationsAhead } from '../validation-ahead.js';
import { conditionalMatches } from '../interactions/conditional-match.js';
import { createVersion } from '../resource-writer.js';
import { entryError, parseBundleEntries, type ParsedEntry } from './bundle-entries.js';
import { EntryIdentities } from './entry-identities.js';
import { entryQueueKeys } from './entry-queue.js';
import { responseEntry } from './entry-response.js';
import { collectReferences, rewriteReferences } from './reference-rewrite.js';

export type Dispatch = (ctx: EngineContext, request: FhirRequest, scope: Scope) => Promise<FhirResponse>;

type Plan = { kind: 'new'; id: string } | { kind: 'existing'; response: FhirResponse };

const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };
const CONDITIONAL_REFERENCE = /^([A-Z][A-Za-z0-9]*)\?(.+)$/;

async function withEntry<T>(entry: ParsedEntry, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw entryError(entry.index, error);
  }
}

/** POST Type/$op, POST $op: an operation, not a create. */
function isOperation(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('$'));
}

/** Decides the id of each POST (new, or the If-None-Exist match) and of conditional PUTs. */
async function planIds(ctx: EngineContext, tx: WriteTx, entries: ParsedEntry[], aliases: Map<string, string>): Promise<Map<number, Plan>> {
  const plans = new Map<number, Plan>();
  for (const entry of entries) {
    await withEntry(entry, async () => {
      const type = entry.path.split('/')[0];
      if (entry.method === 'POST' && entry.resource && !isOperation(entry.path)) {
        const criteria = entry.request.headers['if-none-exist'];
        const matches = criteria ? await conditionalMatches(ctx, tx, storageOf(ctx, type).resourceType, criteria) : [];
        if (matches.length > 1) throw new FhirError('precondition-failed', 'rest.multiple-matches', 'If-None-Exist matched more than one resource');
        const plan: Plan = matches[0] ? { kind: 'existing', response: { ...readResponse(matches[0]), status: 200 } } : { kind: 'new', id: newResourceId() };
        plans.set(entry.index, plan);
        const id = plan.kind === 'new' ? plan.id : matches[0].resource.id;
        if (entry.fullUrl) aliases.set(entry.fullUrl, `${type}/${id}`);
      } else if (entry.method === 'PUT' && entry.request.query.length > 0 && !entry.path.includes('/')) {
        const matches = await conditionalMatches(ctx, tx, type, entry.request.query);
        if (matches.length > 1) throw new FhirError('precondition-failed', 'rest.multiple-matches', 'The conditional update criteria match more than one resource');
        const id = matches[0]?.resource.id ?? entry.resource?.id ?? newResourceId();
        entry.path = `${type}/${id}`;
        entry.request = { ...entry.request, method: 'PUT', path: entry.path, query: [], body: { ...entry.resource, id } };
        if (entry.fullUrl) aliases.set(entry.fullUrl, entry.path);
      } else if (entry.fullUrl && (entry.method === 'PUT' || entry.method === 'PATCH')) {
        aliases.set(entry.fullUrl, entry.path);
      }
    });
  }
  return plans;
}

/** Resolves urn:uuid and conditional references of every entry, then rewrites the bodies. */
async function resolveReferences(ctx: EngineContext, tx: WriteTx, entries: ParsedEntry[], aliases: Map<string, string>): Promise<void> {
  const resolved = new Map(aliases);
  for (const entry of entries) {
    await withEntry(entry, async () => {
      for (const reference of collectReferences(entry.request.body)) {
        if (resolved.has(reference)) continue;
        const conditional = CONDITIONAL_REFERENCE.exec(reference);
        if (conditional) {
          const matches = await conditionalMatches(ctx, tx, conditional[1], conditional[2]);
          if (matches.length !== 1) {
            throw new FhirError('precondition-failed', 'transaction.conditional-reference',
              `The conditional reference ${reference} matches ${matches.length === 0 ? 'no' : 'more than one'} resource`);
          }
          resolved.set(reference, `${conditional[1]}/${matches[0].resource.id}`);
        } else if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) {
          throw invalid('transaction.unresolved-reference', `The reference ${reference} names no entry of this transaction`);
        }
      }
    });
  }
  for (const entry of entries) {
    if (entry.request.body && typeof entry.request.body === 'object' && !Array.isArray(entry.request.body)) {
      entry.request.body = rewriteReferences(ctx.model, entry.request.body as Resource,
        { reference: (reference) => resolved.get(reference), link: (link) => aliases.get(link) });
    }
  }
}

async function runPost(ctx: EngineContext, entry: ParsedEntry, scope: Scope & { tx: WriteTx }, plan: Plan): Promise<FhirResponse> {
  if (plan.kind === 'existing') return plan.response;
  const storage = storageOf(ctx, entry.path.split('/')[0]);
  const resource = entry.request.body as Resource;
  if (resource.resourceType !== storage.resourceType) {
    throw invalid('rest.type-mismatch', `The entry is a ${resource.resourceType}, but its URL names ${storage.resourceType}`);
  }
  await validateForWrite(ctx, resource, 'create', { request: entry.request, scope });
  const version = await createVersion(ctx, scope.tx, storage, resource, plan.id);
  return writeResponse(entry.request, 201, version, `Created ${storage.resourceType}/${plan.id}`);
}

/** The mode an entry's body is validated in before its write, when that can start ahead: creates, and updates by id. */
function aheadMode(entry: ParsedEntry, plan: Plan | undefined): ValidationMode | undefined {
  const body = entry.request.body;
  const [type, id, ...rest] = entry.path.split('/');
  if (!isResource(body) || body.resourceType !== type || rest.length > 0) return undefined;
  if (entry.method === 'POST') return plan?.kind === 'new' && id === undefined ? 'create' : undefined;
  if (entry.method === 'PUT') return id !== undefined && entry.request.query.length === 0 ? 'update' : undefined;
  return undefined;
}

function validateAhead(ctx: EngineContext, entry: ParsedEntry | undefined, plans: Map<number, Plan>, scope: Scope): void {
  const mode = entry && aheadMode(entry, plans.get(entry.index));
  if (!entry || !mode || !scope.ahead) return;
  const resource = entry.request.body as Resource;
  scope.ahead.schedule(resource, mode, () => validationIssues(ctx, resource, mode, { request: entry.request, scope }));
}

function checkUnique(entries: ParsedEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.fullUrl) continue;
    if (seen.has(entry.fullUrl)) {
      throw invalid('transaction.duplicate-full-url', `Bundle.entry[${entry.index}] repeats the fullUrl ${entry.fullUrl}`,
        { expression: `Bundle.entry[${entry.index}].fullUrl` });
    }
    seen.add(entry.fullUrl);
  }
}

async function processEntries(
  ctx: EngineContext, tx: WriteTx, entries: ParsedEntry[], dispatch: Dispatch, queued: ReadonlySet<string>,
): Promise<FhirResponse[]> {
  const responses: FhirResponse[] = [];
  const ordered = [...entries].sort((a, b) => ORDER[a.method] - ORDER[b.method] || a.index - b.index);
  const deletes = ordered.filter((entry) => entry.method === 'DELETE');
  // Conditional deletes are resolved before any of them runs; conditional PUTs by planIds.
  const identities = new EntryIdentities();
  for (const entry of deletes) await withEntry(entry, () => identities.add(ctx, tx, entry));
  for (const entry of deletes) responses[entry.index] = await withEntry(entry, () => dispatch(ctx, entry.request, { tx, queued }));
  const aliases = new Map<string, string>();
  const plans = await planIds(ctx, tx, ordered, aliases);
  for (const entry of ordered) if (entry.method !== 'DELETE') await withEntry(entry, () => identities.add(ctx, tx, entry));
  await resolveReferences(ctx, tx, ordered, aliases);
  const targets = new Set([...aliases.values(), ...ordered.filter((entry) => entry.method === 'PUT').map((entry) => entry.path)]);
  const scope = { tx, targets, queued, ahead: new ValidationsAhead() };
  const writes = ordered.filter((entry) => entry.method !== 'DELETE');
  try {
    for (let i = 0; i < writes.length; i++) {
      const entry = writes[i];
      const plan = plans.get(entry.index);
      const response = withEntry(entry, () => (entry.method === 'POST' && plan ? runPost(ctx, entry, scope, plan) : dispatch(ctx, entry.request, scope)));
      // While this entry's write is in flight, the next entry is validated.
      validateAhead(ctx, writes[i + 1], plans, scope);
      responses[entry.index] = await response;
    }
  } finally {
    scope.ahead.close();
  }
  return responses;
}

export async function transaction(ctx: EngineContext, request: FhirRequest, bundle: Bundle, dispatch: Dispatch): Promise<FhirResponse> {
  rejectLargeBundle(ctx, bundle);
  rejectLongArraysInEntries(ctx, bundle);
  const entries = parseBundleEntries(bundle, request.baseUrl, request.headers, request.view);
  checkUnique(entries);
  const queue = entryQueueKeys(entries);
  const responses = await inWriteTransaction(ctx, request, {}, (tx) => {
    const fresh = parseBundleEntries(bundle, request.baseUrl, request.headers, request.view);
    return processEntries(ctx, tx, fresh, dispatch, new Set(queue));
  }, { queue });
  const entry: BundleEntry[] = responses.map(responseEntry);
  return { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'transaction-response', entry } as Bundle };
}
