/**
 * delete and conditional delete (http://hl7.org/fhir/R4/http.html#delete, #cdelete). Deleting a
 * resource that does not exist succeeds too; a conditional delete with several matches is 412
 * unless the request asks for all of them with _multiple=true.
 */
import { FhirError, informationOutcome, queryValue, withoutParams } from '../../core/index.js';
import { lockCurrentVersion, type ResourceStorage, type WriteTx } from '../../storage/index.js';
import { deleteVersion } from '../resource-writer.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { checkIfMatch, etagFor } from '../preconditions.js';
import { returnPreference } from '../prefer.js';
import { expectValidId, storageOf } from '../resource-input.js';
import type { Route } from '../route.js';
import { conditionalKey } from '../write-queue.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { conditionalMatches } from './conditional-match.js';

function deleteResponse(request: FhirRequest, message: string, versionId?: string): FhirResponse {
  const headers: Record<string, string> = versionId ? { etag: etagFor(versionId) } : {};
  if (returnPreference(request.headers) === 'OperationOutcome') {
    return { status: 200, headers, body: informationOutcome('rest.deleted', message) };
  }
  return { status: 204, headers };
}

async function deleteOne(
  ctx: EngineContext, tx: WriteTx, storage: ResourceStorage, id: string, ifMatch: string | undefined,
): Promise<string | undefined> {
  if (ifMatch !== undefined) checkIfMatch(ifMatch, (await lockCurrentVersion(tx, storage, id))?.txid);
  return deleteVersion(ctx, tx, storage, id);
}

export async function deleteInteraction(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const id = route.id as string;
  expectValidId(id, storage.resourceType);
  const txid = await inWriteTransaction(ctx, request, scope,
    (tx) => deleteOne(ctx, tx, storage, id, request.headers['if-match']), { byIdUnderLock: true });
  return deleteResponse(request, txid ? `Deleted ${storage.resourceType}/${id}` : `${storage.resourceType}/${id} did not exist`, txid);
}

export async function conditionalDelete(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const multiple = queryValue(request.query, '_multiple') === 'true';
  const criteria = withoutParams(request.query, ['_multiple']);
  const limit = multiple ? ctx.config.conditionalDeleteMax + 1 : 2;
  const deleted = await inWriteTransaction(ctx, request, scope, async (tx) => {
    const matches = await conditionalMatches(ctx, tx, storage.resourceType, criteria, limit);
    if (matches.length > 1 && !multiple) {
      throw new FhirError('precondition-failed', 'rest.multiple-matches',
        'The conditional delete criteria match more than one resource; add _multiple=true to delete them all', { issueType: 'multiple-matches' });
    }
    if (matches.length > ctx.config.conditionalDeleteMax) {
      throw new FhirError('too-costly', 'rest.too-many-matches',
        `The criteria match more than ${ctx.config.conditionalDeleteMax} resources`);
    }
    for (const match of matches) await deleteVersion(ctx, tx, storage, match.resource.id as string);
    return matches.length;
  }, { queue: [conditionalKey(storage.resourceType, criteria)] });
  return deleteResponse(request, `Deleted ${deleted} ${storage.resourceType} resource(s)`);
}
