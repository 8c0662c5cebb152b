/**
 * patch and conditional patch (http://hl7.org/fhir/R4/http.html#patch): JSON Patch
 * (application/json-patch+json) or FHIRPath Patch (a Parameters resource), applied to the current
 * version under a row lock, checked like an update, with If-Match.
 */
import { FhirError, invalid, isResource, notFound, type Resource } from '../../core/index.js';
import { applyFhirPathPatch, applyJsonPatch } from '../../patch/index.js';
import { lockCurrentVersion, readCurrent, type ResourceStorage, type WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { checkIfMatch, checkIfNoneMatchOnWrite } from '../preconditions.js';
import { storageOf, validateForWrite } from '../resource-input.js';
import { writeResponse } from '../resource-response.js';
import { updateVersion } from '../resource-writer.js';
import type { Route } from '../route.js';
import { conditionalKey } from '../write-queue.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { conditionalMatches } from './conditional-match.js';

function applyPatch(request: FhirRequest, resource: Resource): Resource {
  const body = request.body;
  if (request.contentType === 'application/json-patch+json' || Array.isArray(body)) {
    if (!Array.isArray(body)) throw invalid('patch.not-json-patch', 'A JSON Patch body must be an array of operations');
    const view = request.view;
    return view ? view.fromView(applyJsonPatch(view.toView(resource), body)) : applyJsonPatch(resource, body);
  }
  if (isResource(body) && body.resourceType === 'Parameters') return applyFhirPathPatch(resource, body);
  throw new FhirError('unsupported-media-type', 'patch.unsupported-format',
    'PATCH takes a JSON Patch document (application/json-patch+json) or a FHIRPath Patch Parameters resource');
}

function checkPatched(before: Resource, after: Resource): void {
  if (after.resourceType !== before.resourceType || after.id !== before.id) {
    throw new FhirError('unprocessable', 'patch.changes-identity', 'A patch must not change resourceType or id');
  }
}

async function patchResource(
  ctx: EngineContext, request: FhirRequest, tx: WriteTx, storage: ResourceStorage, id: string, scope: Scope,
): Promise<FhirResponse> {
  const locked = await lockCurrentVersion(tx, storage, id);
  checkIfMatch(request.headers['if-match'], locked?.txid);
  checkIfNoneMatchOnWrite(request.headers['if-none-match'], locked?.txid);
  const current = locked ? await readCurrent(tx, storage, id) : undefined;
  if (!current) throw notFound('rest.resource-not-found', `${storage.resourceType}/${id} is not known`);
  const patched = applyPatch(request, current.resource);
  checkPatched(current.resource, patched);
  await validateForWrite(ctx, patched, 'update', { request, scope: { ...scope, tx } });
  const version = await updateVersion(ctx, tx, storage, patched, id, 'patched');
  return writeResponse(request, 200, version, `Patched ${storage.resourceType}/${id}`);
}

export async function patch(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  return inWriteTransaction(ctx, request, scope,
    (tx) => patchResource(ctx, request, tx, storage, route.id as string, scope), { byIdUnderLock: true });
}

export async function conditionalPatch(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  if (request.query.length === 0) throw invalid('rest.missing-criteria', 'A conditional patch needs search criteria in the URL');
  return inWriteTransaction(ctx, request, scope, async (tx) => {
    const matches = await conditionalMatches(ctx, tx, storage.resourceType, request.query);
    if (matches.length === 0) throw notFound('rest.no-match', 'The conditional patch criteria match no resource');
    if (matches.length > 1) {
      throw new FhirError('precondition-failed', 'rest.multiple-matches', 'The conditional patch criteria match more than one resource',
        { issueType: 'multiple-matches' });
    }
    return patchResource(ctx, request, tx, storage, matches[0].resource.id as string, scope);
  }, { queue: [conditionalKey(storage.resourceType, request.query)] });
}
