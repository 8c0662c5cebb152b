/**
 * From a request to a write plan (http://hl7.org/fhir/R4/http.html#create, #update, #patch,
 * #delete and their conditional variants): the checks that need no database (a served type, a body
 * of the URL's type, a valid id equal to the URL's, criteria where the URL has no id) and the
 * decisions that need none either (a new id, the match rule, the preconditions).
 */
import { newResourceId, parseQueryString, queryValue, withoutParams, type QueryParams } from '../../core/index.js';
import type { ResourceStorage } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest } from '../fhir-request.js';
import { expectIdMatch, expectResource, expectValidId, storageOf } from '../resource-input.js';
import type { Route } from '../route.js';
import type { CreatePlan, DeletePlan, PatchPlan, Preconditions, UpdatePlan, WritePlan, WriteTarget } from './write-plan.js';

function preconditionsOf(request: FhirRequest): Preconditions {
  return { ifMatch: request.headers['if-match'], ifNoneMatch: request.headers['if-none-match'] };
}

/** If-None-Exist as given (Type?a=1&b=2 or a=1&b=2) into search parameters. */
function ifNoneExistCriteria(header: string | undefined): QueryParams | undefined {
  return header === undefined ? undefined : parseQueryString(header.replace(/^.*\?/, ''));
}

function criteriaTarget(request: FhirRequest, write: string): WriteTarget {
  if (request.query.length === 0) throw engineErrors['rest.missing-criteria']({ write });
  return { by: 'criteria', criteria: request.query };
}

export function planCreate(ctx: EngineContext, request: FhirRequest, route: Route): CreatePlan {
  const storage = storageOf(ctx, route.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  return {
    kind: 'create', storage, request, resource, newId: newResourceId(),
    ifNoneExist: ifNoneExistCriteria(request.headers['if-none-exist']), preconditions: {},
  };
}

export function planUpdate(ctx: EngineContext, request: FhirRequest, route: Route): UpdatePlan {
  const storage = storageOf(ctx, route.resourceType);
  const id = route.id as string;
  expectValidId(id, storage.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  expectIdMatch(resource, id);
  return { kind: 'update', storage, request, resource, target: { by: 'id', id }, newId: id, preconditions: preconditionsOf(request) };
}

export function planConditionalUpdate(ctx: EngineContext, request: FhirRequest, route: Route): UpdatePlan {
  const storage = storageOf(ctx, route.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  const target = criteriaTarget(request, 'update');
  return { kind: 'update', storage, request, resource, target, newId: resource.id ?? newResourceId(), preconditions: preconditionsOf(request) };
}

function planPatchOf(storage: ResourceStorage, request: FhirRequest, target: WriteTarget): PatchPlan {
  const patch = { body: request.body, contentType: request.contentType, view: request.view };
  return { kind: 'patch', storage, request, patch, target, preconditions: preconditionsOf(request) };
}

export function planPatch(ctx: EngineContext, request: FhirRequest, route: Route): PatchPlan {
  return planPatchOf(storageOf(ctx, route.resourceType), request, { by: 'id', id: route.id as string });
}

export function planConditionalPatch(ctx: EngineContext, request: FhirRequest, route: Route): PatchPlan {
  const storage = storageOf(ctx, route.resourceType);
  return planPatchOf(storage, request, criteriaTarget(request, 'patch'));
}

export function planDelete(ctx: EngineContext, request: FhirRequest, route: Route): DeletePlan {
  const storage = storageOf(ctx, route.resourceType);
  const id = route.id as string;
  expectValidId(id, storage.resourceType);
  return { kind: 'delete', storage, request, target: { by: 'id', id }, multiple: false, preconditions: { ifMatch: request.headers['if-match'] } };
}

/** A conditional delete checks no version: it deletes what its criteria match (_multiple=true: all of them). */
export function planConditionalDelete(ctx: EngineContext, request: FhirRequest, route: Route): DeletePlan {
  const storage = storageOf(ctx, route.resourceType);
  const multiple = queryValue(request.query, '_multiple') === 'true';
  const target: WriteTarget = { by: 'criteria', criteria: withoutParams(request.query, ['_multiple']) };
  return { kind: 'delete', storage, request, target, multiple, preconditions: {} };
}

/** The plan of a write interaction, or undefined for every other interaction (reads, searches, operations). */
export function planWrite(ctx: EngineContext, request: FhirRequest, route: Route): WritePlan | undefined {
  switch (route.interaction) {
    case 'create': return planCreate(ctx, request, route);
    case 'update': return planUpdate(ctx, request, route);
    case 'conditional-update': return planConditionalUpdate(ctx, request, route);
    case 'patch': return planPatch(ctx, request, route);
    case 'conditional-patch': return planConditionalPatch(ctx, request, route);
    case 'delete': return planDelete(ctx, request, route);
    case 'conditional-delete': return planConditionalDelete(ctx, request, route);
    default: return undefined;
  }
}
