/**
 * The links of a transaction (http://hl7.org/fhir/R4/http.html#trules): the fullUrl of each entry
 * that creates or updates a resource becomes an alias of its Type/id, conditional references
 * (Type?query) are searched, and every entry's body is rewritten with them into a new step.
 */
import type { Resource } from '../../core/index.js';
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest } from '../fhir-request.js';
import { conditionalMatches } from '../interactions/conditional-match.js';
import type { WritePlan } from '../write-plan/index.js';
import { collectReferences, rewriteReferences, type LinkResolvers } from './reference-rewrite.js';
import { targetPath, withEntry, type TransactionStep } from './transaction-step.js';

const CONDITIONAL_REFERENCE = /^([A-Z][A-Za-z0-9]*)\?(.+)$/;

/** fullUrl -> Type/id of the entries that create, update or patch a resource. */
export function fullUrlAliases(steps: TransactionStep[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const step of steps) {
    const { fullUrl, method, path } = step.entry;
    if (!fullUrl || !step.plan || step.plan.kind === 'delete') continue;
    const target = targetPath(step) ?? (method === 'PUT' || method === 'PATCH' ? path : undefined);
    if (target !== undefined) aliases.set(fullUrl, target);
  }
  return aliases;
}

/** A conditional reference resolves among the rows the entry's caller may see. */
async function resolveReference(ctx: EngineContext, tx: WriteTx, request: FhirRequest, reference: string): Promise<string | undefined> {
  const conditional = CONDITIONAL_REFERENCE.exec(reference);
  if (conditional) {
    const matches = await conditionalMatches(ctx, tx, request, conditional[1], conditional[2]);
    if (matches.length !== 1) {
      throw engineErrors['transaction.conditional-reference']({ reference, found: matches.length === 0 ? 'no' : 'more than one' });
    }
    return `${conditional[1]}/${matches[0].resource.id}`;
  }
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) {
    throw engineErrors['transaction.unresolved-reference']({ reference });
  }
  return undefined;
}

/** The plan with the body rewritten: the resource of a create or update, the Parameters of a FHIRPath Patch. */
function planWithBody(plan: WritePlan | undefined, body: Resource): WritePlan | undefined {
  if (plan?.kind === 'create' || plan?.kind === 'update') return { ...plan, resource: body };
  if (plan?.kind === 'patch') return { ...plan, patch: { ...plan.patch, body } };
  return plan;
}

function rewriteStep(ctx: EngineContext, step: TransactionStep, resolvers: LinkResolvers): TransactionStep {
  const body = step.request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return step;
  const rewritten = rewriteReferences(ctx.model, body as Resource, resolvers);
  return { ...step, request: { ...step.request, body: rewritten }, plan: planWithBody(step.plan, rewritten) };
}

/** Resolves urn:uuid and conditional references of every step, then gives each a rewritten body. */
export async function withResolvedReferences(
  ctx: EngineContext, tx: WriteTx, steps: TransactionStep[], aliases: Map<string, string>,
): Promise<TransactionStep[]> {
  const resolved = new Map(aliases);
  for (const step of steps) {
    await withEntry(step.entry, async () => {
      for (const reference of collectReferences(step.request.body)) {
        if (resolved.has(reference)) continue;
        const target = await resolveReference(ctx, tx, step.request, reference);
        if (target !== undefined) resolved.set(reference, target);
      }
    });
  }
  const resolvers: LinkResolvers = { reference: (reference) => resolved.get(reference), link: (link) => aliases.get(link) };
  return steps.map((step) => rewriteStep(ctx, step, resolvers));
}
