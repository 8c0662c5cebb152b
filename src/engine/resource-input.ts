/**
 * Checks of a resource a client sends before anything is written
 * (http://hl7.org/fhir/R4/http.html#create, #update): a JSON object of the URL's type, a valid id
 * where one is required, and the validator's verdict. Bad input is rejected whole.
 */
import { coreErrors, FhirError, isResource, isValidId, type Issue, type Resource } from '../core/index.js';
import { readCurrent, type ResourceStorage } from '../storage/index.js';
import type { EngineContext, ValidationMode } from './engine-context.js';
import { engineErrors } from './engine-errors.js';
import type { FhirRequest } from './fhir-request.js';
import { rejectLongArrays } from './size-limits.js';
import { visibleRows } from './visible-rows.js';
import type { Scope } from './write-transaction.js';

/** The storage of a served type, or 404. */
export function storageOf(ctx: EngineContext, resourceType: string | undefined): ResourceStorage {
  const storage = resourceType ? ctx.storages.storageFor(resourceType) : undefined;
  if (!storage) {
    throw coreErrors['rest.unknown-type']({ resourceType, atThisEndpoint: true });
  }
  return storage;
}

/** The body as a resource of the expected type; 400 when it is not one. */
export function expectResource(body: unknown, resourceType: string): Resource {
  if (body === undefined || body === null || body === '') {
    throw engineErrors['rest.missing-body']({ resourceType });
  }
  if (!isResource(body)) {
    throw engineErrors['rest.not-a-resource'](undefined, { expression: 'resourceType' });
  }
  if (body.resourceType !== resourceType) {
    throw engineErrors['rest.type-mismatch']({ bodyType: body.resourceType, resourceType }, { expression: 'resourceType' });
  }
  return body;
}

/** For update: the body's id must be present and equal the URL's id. */
export function expectIdMatch(resource: Resource, id: string): void {
  if (resource.id === undefined) {
    throw engineErrors['rest.missing-id']({ id }, { expression: `${resource.resourceType}.id` });
  }
  if (resource.id !== id) {
    throw engineErrors['rest.id-mismatch']({ detail: `The resource id ${resource.id} differs from the URL's id ${id}` },
      { expression: `${resource.resourceType}.id` });
  }
}

export function expectValidId(id: string, resourceType: string): void {
  if (!isValidId(id)) {
    throw engineErrors['rest.invalid-id']({ id }, { expression: `${resourceType}.id` });
  }
}

/** 400 when an error is structural (the JSON's shape), else 422; the outcome lists the errors ($validate shows the warnings too). */
function rejection(errors: Issue[]): FhirError {
  const category = errors.some((issue) => issue.type === 'structure') ? 'invalid' : 'unprocessable';
  const first = errors[0];
  return new FhirError(category, first.code, first.diagnostics, { issues: errors, expression: first.expression });
}

/** Where a write comes from: the request (its headers) and the transaction it runs in. */
export interface WriteOrigin {
  request?: FhirRequest;
  scope?: Scope;
}

/**
 * Resolves Type/id in the transaction's targets, then in the database (through the transaction):
 * a row the request's caller may not see counts as missing.
 */
export function referenceResolver(ctx: EngineContext, scope: Scope = {}, request?: FhirRequest): (resourceType: string, id: string) => Promise<boolean> {
  return async (resourceType, id) => {
    if (scope.targets?.has(`${resourceType}/${id}`)) return true;
    const storage = ctx.storages.storageFor(resourceType);
    return storage !== undefined && (await readCurrent(scope.tx ?? ctx.db, storage, id, visibleRows(ctx, request, resourceType))) !== undefined;
  };
}

/** The validator's issues for a write (all of them; validateForWrite decides). */
export async function validationIssues(ctx: EngineContext, resource: Resource, mode: ValidationMode, origin: WriteOrigin = {}): Promise<Issue[]> {
  return ctx.validator.validate(resource, {
    mode, headers: origin.request?.headers, referenceExists: referenceResolver(ctx, origin.scope, origin.request),
  });
}

/** Runs the validator (or takes the validation a transaction started ahead); any error rejects the write with every issue found. */
export async function validateForWrite(ctx: EngineContext, resource: Resource, mode: ValidationMode, origin: WriteOrigin = {}): Promise<Issue[]> {
  rejectLongArrays(resource, ctx.config.maxArrayLength);
  const issues = await (origin.scope?.ahead?.claim(resource, mode) ?? validationIssues(ctx, resource, mode, origin));
  const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  if (errors.length > 0) throw rejection(errors);
  return issues;
}
