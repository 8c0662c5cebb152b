/**
 * update and update-as-create (http://hl7.org/fhir/R4/http.html#update), with If-Match (412 on
 * another version) and conditional update PUT Type?query (#cond-update).
 */
import { FhirError, invalid, newResourceId, type Resource } from '../../core/index.js';
import { isUniqueViolation } from '../../db/index.js';
import {
  hasHistory, lockCurrentVersion, lockNewId, type CurrentVersion, type ResourceStorage, type WriteTx,
} from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { checkIfMatch, checkIfNoneMatchOnWrite } from '../preconditions.js';
import { expectIdMatch, expectResource, expectValidId, storageOf, validateForWrite } from '../resource-input.js';
import { writeResponse } from '../resource-response.js';
import { createVersion, updateVersion } from '../resource-writer.js';
import type { Route } from '../route.js';
import { conditionalKey } from '../write-queue.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { conditionalMatches } from './conditional-match.js';

/**
 * The current version under its row lock; when there is no row, the id's lock first, then a second
 * look (at READ COMMITTED it sees a row a concurrent creator committed while this one waited).
 */
async function lockCurrentOrNewId(tx: WriteTx, storage: ResourceStorage, id: string): Promise<CurrentVersion | undefined> {
  const current = await lockCurrentVersion(tx, storage, id);
  if (current) return current;
  await lockNewId(tx, storage, id);
  return lockCurrentVersion(tx, storage, id);
}

/** Updates the resource with this id, or creates it with this id; If-Match is checked first. */
export async function putResource(
  ctx: EngineContext, request: FhirRequest, tx: WriteTx, storage: ResourceStorage, resource: Resource, id: string,
): Promise<FhirResponse> {
  const current = await lockCurrentOrNewId(tx, storage, id);
  checkIfMatch(request.headers['if-match'], current?.txid);
  checkIfNoneMatchOnWrite(request.headers['if-none-match'], current?.txid);
  if (current) {
    const version = await updateVersion(ctx, tx, storage, resource, id);
    return writeResponse(request, 200, version, `Updated ${storage.resourceType}/${id}`);
  }
  const status = (await hasHistory(tx, storage, id)) ? 'recreated' : 'created';
  const version = await createVersion(ctx, tx, storage, resource, id, status);
  return writeResponse(request, 201, version, `Created ${storage.resourceType}/${id}`);
}

/** Runs a write; a concurrent create of the same id (unique violation) reruns it once as an update. */
async function withCreateRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return run();
  }
}

export async function update(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const id = route.id as string;
  expectValidId(id, storage.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  expectIdMatch(resource, id);
  await validateForWrite(ctx, resource, 'update', { request, scope });
  if (scope.tx) return putResource(ctx, request, scope.tx, storage, resource, id);
  return withCreateRace(() => inWriteTransaction(ctx, request, scope,
    (tx) => putResource(ctx, request, tx, storage, resource, id), { byIdUnderLock: true }));
}

export async function conditionalUpdate(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  if (request.query.length === 0) throw invalid('rest.missing-criteria', 'A conditional update needs search criteria in the URL');
  await validateForWrite(ctx, resource, 'update', { request, scope });
  return inWriteTransaction(ctx, request, scope, async (tx) => {
    const matches = await conditionalMatches(ctx, tx, storage.resourceType, request.query);
    if (matches.length > 1) {
      throw new FhirError('precondition-failed', 'rest.multiple-matches', 'The conditional update criteria match more than one resource',
        { issueType: 'multiple-matches' });
    }
    const matchId = matches[0]?.resource.id;
    if (matchId && resource.id !== undefined && resource.id !== matchId) {
      throw invalid('rest.id-mismatch', `The resource id ${resource.id} differs from the matching resource ${matchId}`,
        { expression: `${storage.resourceType}.id` });
    }
    const id = matchId ?? resource.id ?? newResourceId();
    expectValidId(id, storage.resourceType);
    return putResource(ctx, request, tx, storage, { ...resource, id }, id);
  }, { queue: [conditionalKey(storage.resourceType, request.query)] });
}
