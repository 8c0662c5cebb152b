/**
 * The first step of running a write plan, inside its transaction: the match rule is searched and
 * the plan's target becomes ids (http://hl7.org/fhir/R4/http.html#ccreate, #cond-update, #patch,
 * #cdelete). Every conditional write answers more matches than it allows with the same error
 * (rest.multiple-matches, 412, issue type multiple-matches), alone or inside a transaction Bundle.
 */
import type { WriteTx, StoredVersion } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import { expectValidId } from '../resource-input.js';
import { conditionalMatches } from '../interactions/conditional-match.js';
import type { CreatePlan, DeletePlan, PatchPlan, UpdatePlan, WritePlan } from './write-plan.js';

/**
 * What a plan's target resolved to: the ids it writes (one, or every match of a conditional
 * delete) and, for a create whose If-None-Exist matched, the match (nothing is then written).
 */
export interface Resolution {
  ids: string[];
  existing?: StoredVersion;
}

/** The matches among the rows the plan's caller may see: a hidden row is never found, changed or returned. */
async function matchesOf(ctx: EngineContext, tx: WriteTx, plan: WritePlan, criteria: Parameters<typeof conditionalMatches>[4], limit = 2) {
  const matches = await conditionalMatches(ctx, tx, plan.request, plan.storage.resourceType, criteria, limit);
  const allowsSeveral = plan.kind === 'delete' && plan.multiple;
  if (matches.length > 1 && !allowsSeveral) throw engineErrors['rest.multiple-matches']({ write: plan.kind });
  return matches;
}

async function resolveCreate(ctx: EngineContext, tx: WriteTx, plan: CreatePlan): Promise<Resolution> {
  const existing = plan.ifNoneExist === undefined ? undefined : (await matchesOf(ctx, tx, plan, plan.ifNoneExist))[0];
  return { ids: [(existing?.resource.id as string | undefined) ?? plan.newId], existing };
}

/** The match's id, or the body's, or a new one; a body id that differs from the match is 400. */
async function resolveUpdate(ctx: EngineContext, tx: WriteTx, plan: UpdatePlan): Promise<Resolution> {
  if (plan.target.by === 'id') return { ids: [plan.target.id] };
  const matchId = (await matchesOf(ctx, tx, plan, plan.target.criteria))[0]?.resource.id;
  const { resource, storage } = plan;
  if (matchId && resource.id !== undefined && resource.id !== matchId) {
    throw engineErrors['rest.id-mismatch']({ detail: `The resource id ${resource.id} differs from the matching resource ${matchId}` },
      { expression: `${storage.resourceType}.id` });
  }
  const id = matchId ?? plan.newId;
  expectValidId(id, storage.resourceType);
  return { ids: [id] };
}

async function resolvePatch(ctx: EngineContext, tx: WriteTx, plan: PatchPlan): Promise<Resolution> {
  if (plan.target.by === 'id') return { ids: [plan.target.id] };
  const matches = await matchesOf(ctx, tx, plan, plan.target.criteria);
  if (matches.length === 0) throw engineErrors['rest.no-match'](undefined);
  return { ids: [matches[0].resource.id as string] };
}

async function resolveDelete(ctx: EngineContext, tx: WriteTx, plan: DeletePlan): Promise<Resolution> {
  if (plan.target.by === 'id') return { ids: [plan.target.id] };
  const max = ctx.config.conditionalDeleteMax;
  const matches = await matchesOf(ctx, tx, plan, plan.target.criteria, plan.multiple ? max + 1 : 2);
  if (matches.length > max) throw engineErrors['rest.too-many-matches']({ max });
  return { ids: matches.map((match) => match.resource.id as string) };
}

export function resolveWrite(ctx: EngineContext, tx: WriteTx, plan: WritePlan): Promise<Resolution> {
  switch (plan.kind) {
    case 'create': return resolveCreate(ctx, tx, plan);
    case 'update': return resolveUpdate(ctx, tx, plan);
    case 'patch': return resolvePatch(ctx, tx, plan);
    case 'delete': return resolveDelete(ctx, tx, plan);
  }
}
