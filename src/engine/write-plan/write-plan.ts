/**
 * A write as data: what a create, update, patch or delete will do, decided from the request before
 * any database work. A plan names the type and its storage, the resource to write (or the patch to
 * apply), which resource it targets (an id, or a match rule: search criteria), the preconditions
 * (If-Match, If-None-Match), and the queue keys its transaction takes (write-queue.ts). One executor
 * (run-write-plan.ts) runs plans, for single requests and for the entries of transaction Bundles
 * alike, so both share every rule. Plans are never changed: a step that needs another one (a
 * transaction rewriting references) builds a new plan.
 */
import type { QueryParams, Resource } from '../../core/index.js';
import type { ResourceStorage } from '../../storage/index.js';
import type { ConditionalWrite } from '../engine-errors.js';
import type { FhirRequest, ResourceView } from '../fhir-request.js';
import { conditionalKey } from '../write-queue.js';

/** Which resource a write changes: one named by id, or those its criteria match. */
export type WriteTarget = { by: 'id'; id: string } | { by: 'criteria'; criteria: QueryParams };

/** The conditional request headers a write checks against the current version. */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

interface PlanBase {
  kind: ConditionalWrite;
  storage: ResourceStorage;
  /** The request the plan came from: its headers (Prefer, validator switches) and base URL shape the answer. */
  request: FhirRequest;
  preconditions: Preconditions;
}

/** create (POST Type): a new resource with the id chosen at planning, unless If-None-Exist matches one. */
export interface CreatePlan extends PlanBase {
  kind: 'create';
  resource: Resource;
  newId: string;
  /** If-None-Exist: the match rule that turns the create into a read of the match. */
  ifNoneExist?: QueryParams;
}

/** update (PUT Type/id, PUT Type?criteria): the resource with the target's id, created if it does not exist. */
export interface UpdatePlan extends PlanBase {
  kind: 'update';
  resource: Resource;
  target: WriteTarget;
  /** The id to create when criteria match nothing: the body's, or one chosen at planning. */
  newId: string;
}

/** The patch document of a PATCH, and the view its JSON Patch paths address. */
export interface PatchDocument {
  body: unknown;
  contentType?: string;
  view?: ResourceView;
}

/** patch (PATCH Type/id, PATCH Type?criteria): the patch applied to the current version. */
export interface PatchPlan extends PlanBase {
  kind: 'patch';
  patch: PatchDocument;
  target: WriteTarget;
}

/** delete (DELETE Type/id, DELETE Type?criteria): every match when _multiple=true allows several. */
export interface DeletePlan extends PlanBase {
  kind: 'delete';
  target: WriteTarget;
  multiple: boolean;
}

export type WritePlan = CreatePlan | UpdatePlan | PatchPlan | DeletePlan;

/** The criteria a plan matches by: If-None-Exist or the URL's search, or none for writes by id. */
export function matchRule(plan: WritePlan): QueryParams | undefined {
  if (plan.kind === 'create') return plan.ifNoneExist;
  return plan.target.by === 'criteria' ? plan.target.criteria : undefined;
}

/**
 * The queue keys the plan's transaction waits in before it begins: a conditional write queues on
 * its type and criteria, so that concurrent writers with the same criteria see each other's result
 * and at most one of them creates, alone or inside a transaction Bundle.
 */
export function planQueueKeys(plan: WritePlan): string[] {
  const criteria = matchRule(plan);
  return criteria === undefined ? [] : [conditionalKey(plan.storage.resourceType, criteria)];
}

/**
 * Whether the write reads nothing but the one resource it names by id, under that row's lock: its
 * transaction can then run at READ COMMITTED (write-transaction.ts WriteMode.byIdUnderLock).
 */
export function isByIdUnderLock(plan: WritePlan): boolean {
  return plan.kind !== 'create' && plan.target.by === 'id';
}

/** The resource Type/id a write by id changes, for the queue of a transaction Bundle. */
export function targetedId(plan: WritePlan): string | undefined {
  return plan.kind !== 'create' && plan.target.by === 'id' ? plan.target.id : undefined;
}
