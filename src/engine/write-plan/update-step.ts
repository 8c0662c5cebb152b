/**
 * The write of a resolved update (http://hl7.org/fhir/R4/http.html#update): the current version
 * under its row lock, If-Match and If-None-Match checked against it, then a new version (200), or
 * the resource created with the id (201, recreated when it has history). A current row the caller
 * may not see is not found; the resource written must be inside its rows (row-check.ts).
 */
import { hasHistory, lockCurrentVersion, lockNewId, type CurrentVersion, type ResourceStorage, type RowCondition, type WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirResponse } from '../fhir-request.js';
import { checkIfMatch, checkIfNoneMatchOnWrite } from '../preconditions.js';
import { writeResponse } from '../resource-response.js';
import { createVersion, updateVersion } from '../resource-writer.js';
import { visibleRows } from '../visible-rows.js';
import type { Resolution } from './resolve-write.js';
import { expectVisible, storedRowCheck } from './row-check.js';
import type { UpdatePlan } from './write-plan.js';

/**
 * The current version under its row lock; when there is no row, the id's lock first, then a second
 * look (at READ COMMITTED it sees a row a concurrent creator committed while this one waited).
 */
async function lockCurrentOrNewId(tx: WriteTx, storage: ResourceStorage, id: string, visible?: RowCondition): Promise<CurrentVersion | undefined> {
  const current = await lockCurrentVersion(tx, storage, id, visible);
  if (current) return current;
  await lockNewId(tx, storage, id);
  return lockCurrentVersion(tx, storage, id, visible);
}

export async function writeUpdate(ctx: EngineContext, tx: WriteTx, plan: UpdatePlan, resolution: Resolution): Promise<FhirResponse> {
  const [id] = resolution.ids;
  const { storage, request, preconditions } = plan;
  const resource = plan.resource.id === id ? plan.resource : { ...plan.resource, id };
  const current = await lockCurrentOrNewId(tx, storage, id, visibleRows(ctx, request, storage.resourceType));
  expectVisible(storage, id, current);
  checkIfMatch(preconditions.ifMatch, current?.txid);
  checkIfNoneMatchOnWrite(preconditions.ifNoneMatch, current?.txid);
  const check = storedRowCheck(ctx, request, storage);
  if (current) {
    const version = await updateVersion(ctx, tx, storage, resource, id, 'updated', check);
    return writeResponse(request, 200, version, `Updated ${storage.resourceType}/${id}`);
  }
  const status = (await hasHistory(tx, storage, id)) ? 'recreated' : 'created';
  const version = await createVersion(ctx, tx, storage, resource, id, status, check);
  return writeResponse(request, 201, version, `Created ${storage.resourceType}/${id}`);
}
