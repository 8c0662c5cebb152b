/**
 * The write of a resolved delete (http://hl7.org/fhir/R4/http.html#delete, #cdelete): a delete by
 * id checks If-Match and succeeds whether or not the resource exists; a conditional delete deletes
 * every match it resolved to (only rows its caller may see: resolve-write.ts); a row the caller may
 * not see is left alone and answered as one that does not exist.
 */
import { informationOutcome } from '../../core/index.js';
import type { WriteTx } from '../../storage/index.js';
import { lockCurrentVersion } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { checkIfMatch, etagFor } from '../preconditions.js';
import { returnPreference } from '../prefer.js';
import { deleteVersion } from '../resource-writer.js';
import { visibleRows } from '../visible-rows.js';
import type { Resolution } from './resolve-write.js';
import type { DeletePlan } from './write-plan.js';

function deleteResponse(request: FhirRequest, message: string, versionId?: string): FhirResponse {
  const headers: Record<string, string> = versionId ? { etag: etagFor(versionId) } : {};
  if (returnPreference(request.headers) === 'OperationOutcome') {
    return { status: 200, headers, body: informationOutcome('rest.deleted', message) };
  }
  return { status: 204, headers };
}

/**
 * A row the caller may not see is treated as missing, checked under the row's lock: nothing is
 * deleted and the answer is the one for an id that does not exist (so a delete does not tell
 * whether a hidden row exists).
 */
async function deleteById(
  ctx: EngineContext, tx: WriteTx, plan: DeletePlan, id: string, ifMatch: string | undefined,
): Promise<string | undefined> {
  const { storage } = plan;
  const visible = visibleRows(ctx, plan.request, storage.resourceType);
  if (ifMatch !== undefined || visible) {
    const found = await lockCurrentVersion(tx, storage, id, visible);
    const current = found?.hidden ? undefined : found;
    if (ifMatch !== undefined) checkIfMatch(ifMatch, current?.txid);
    if (found?.hidden) return undefined;
  }
  return deleteVersion(ctx, tx, storage, id);
}

export async function writeDelete(ctx: EngineContext, tx: WriteTx, plan: DeletePlan, resolution: Resolution): Promise<FhirResponse> {
  const { ids } = resolution;
  const { storage, request } = plan;
  if (plan.target.by === 'id') {
    const id = plan.target.id;
    const txid = await deleteById(ctx, tx, plan, id, plan.preconditions.ifMatch);
    return deleteResponse(request, txid ? `Deleted ${storage.resourceType}/${id}` : `${storage.resourceType}/${id} did not exist`, txid);
  }
  for (const id of ids) await deleteVersion(ctx, tx, storage, id);
  return deleteResponse(request, `Deleted ${ids.length} ${storage.resourceType} resource(s)`);
}
