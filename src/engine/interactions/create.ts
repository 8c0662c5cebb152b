/**
 * create and conditional create (http://hl7.org/fhir/R4/http.html#create, #ccreate): a new
 * server-assigned id, or the existing match of If-None-Exist (200, nothing written).
 */
import { FhirError, newResourceId } from '../../core/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { expectResource, storageOf, validateForWrite } from '../resource-input.js';
import { readResponse, writeResponse } from '../resource-response.js';
import { createVersion } from '../resource-writer.js';
import type { Route } from '../route.js';
import { conditionalKey } from '../write-queue.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { conditionalMatches } from './conditional-match.js';

export async function create(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  const ifNoneExist = request.headers['if-none-exist'];
  await validateForWrite(ctx, resource, 'create', { request, scope });
  return inWriteTransaction(ctx, request, scope, async (tx) => {
    if (ifNoneExist !== undefined) {
      const matches = await conditionalMatches(ctx, tx, storage.resourceType, ifNoneExist);
      if (matches.length > 1) {
        throw new FhirError('precondition-failed', 'rest.multiple-matches',
          'If-None-Exist matched more than one resource', { issueType: 'multiple-matches' });
      }
      if (matches.length === 1) return { ...readResponse(matches[0]), status: 200 };
    }
    const version = await createVersion(ctx, tx, storage, resource, newResourceId());
    return writeResponse(request, 201, version, `Created ${storage.resourceType}/${version.resource.id}`);
  }, { queue: ifNoneExist === undefined ? [] : [conditionalKey(storage.resourceType, ifNoneExist)] });
}
