/**
 * create and conditional create (http://hl7.org/fhir/R4/http.html#create, #ccreate): a new
 * server-assigned id, or the existing match of If-None-Exist (200, nothing written).
 */
import { FhirError, newResourceId, type Resource } from '../../core/index.js';
import type { Queryable } from '../../db/index.js';
import { sql } from '../../sql/index.js';
import { fromRow, insertResource, toStoredJson, type ResourceStorage, type StoredVersion } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { expectResource, storageOf, validateForWrite } from '../resource-input.js';
import { readResponse, writeResponse } from '../resource-response.js';
import type { Route } from '../route.js';
import { inWriteTransaction, type Scope } from '../write-transaction.js';
import { conditionalMatches } from './conditional-match.js';

/** Inserts a resource with the given id and returns the stored version. */
export async function insertVersion(
  tx: Queryable, storage: ResourceStorage, resource: Resource, id: string, status: 'created' | 'recreated' = 'created',
): Promise<StoredVersion> {
  const body = toStoredJson(resource);
  const written = await insertResource(tx, storage, id, body, status);
  return fromRow({ id, txid: written.txid, ts: written.ts, resource_type: storage.resourceType, status, resource: body });
}

/** Serializes conditional creates with the same criteria, whatever the isolation level. */
async function lockCriteria(tx: Queryable, resourceType: string, criteria: string): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${resourceType}?${criteria}`}, 0))`);
}

export async function create(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const resource = expectResource(request.body, storage.resourceType);
  const ifNoneExist = request.headers['if-none-exist'];
  await validateForWrite(ctx, resource, 'create', { request, scope });
  return inWriteTransaction(ctx, request, scope, async (tx) => {
    if (ifNoneExist !== undefined) {
      await lockCriteria(tx, storage.resourceType, ifNoneExist);
      const matches = await conditionalMatches(ctx, tx, storage.resourceType, ifNoneExist);
      if (matches.length > 1) {
        throw new FhirError('precondition-failed', 'rest.multiple-matches',
          'If-None-Exist matched more than one resource', { issueType: 'multiple-matches' });
      }
      if (matches.length === 1) return { ...readResponse(matches[0]), status: 200 };
    }
    const version = await insertVersion(tx, storage, resource, newResourceId());
    return writeResponse(request, 201, version, `Created ${storage.resourceType}/${version.resource.id}`);
  });
}
