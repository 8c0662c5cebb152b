/**
 * The write of a resolved patch (http://hl7.org/fhir/R4/http.html#patch): JSON Patch
 * (application/json-patch+json) or FHIRPath Patch (a Parameters resource), applied to the current
 * version under its row lock after If-Match and If-None-Match, then checked like an update (the
 * patched result must be inside the caller's rows; a row it may not see is not found).
 */
import { isResource, type Resource } from '../../core/index.js';
import { applyFhirPathPatch, applyJsonPatch } from '../../patch/index.js';
import { lockCurrentVersion, readCurrent, type WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirResponse } from '../fhir-request.js';
import { checkIfMatch, checkIfNoneMatchOnWrite } from '../preconditions.js';
import { validateForWrite } from '../resource-input.js';
import { writeResponse } from '../resource-response.js';
import { updateVersion } from '../resource-writer.js';
import type { Scope } from '../write-transaction.js';
import { visibleRows } from '../visible-rows.js';
import type { Resolution } from './resolve-write.js';
import { expectVisible, storedRowCheck } from './row-check.js';
import type { PatchDocument, PatchPlan } from './write-plan.js';

function applyPatch(patch: PatchDocument, resource: Resource): Resource {
  const { body, view } = patch;
  if (patch.contentType === 'application/json-patch+json' || Array.isArray(body)) {
    if (!Array.isArray(body)) throw engineErrors['patch.not-json-patch'](undefined);
    return view ? view.fromView(applyJsonPatch(view.toView(resource), body)) : applyJsonPatch(resource, body);
  }
  if (isResource(body) && body.resourceType === 'Parameters') return applyFhirPathPatch(resource, body);
  throw engineErrors['patch.unsupported-format'](undefined);
}

function checkPatched(before: Resource, after: Resource): void {
  if (after.resourceType !== before.resourceType || after.id !== before.id) throw engineErrors['patch.changes-identity'](undefined);
}

export async function writePatch(
  ctx: EngineContext, tx: WriteTx, plan: PatchPlan, resolution: Resolution, scope: Scope,
): Promise<FhirResponse> {
  const [id] = resolution.ids;
  const { storage, request, preconditions } = plan;
  const locked = await lockCurrentVersion(tx, storage, id, visibleRows(ctx, request, storage.resourceType));
  expectVisible(storage, id, locked);
  checkIfMatch(preconditions.ifMatch, locked?.txid);
  checkIfNoneMatchOnWrite(preconditions.ifNoneMatch, locked?.txid);
  const current = locked ? await readCurrent(tx, storage, id) : undefined;
  if (!current) throw engineErrors['rest.resource-not-found']({ resourceType: storage.resourceType, id });
  const patched = applyPatch(plan.patch, current.resource);
  checkPatched(current.resource, patched);
  await validateForWrite(ctx, patched, 'update', { request, scope: { ...scope, tx } });
  const version = await updateVersion(ctx, tx, storage, patched, id, 'patched', storedRowCheck(ctx, request, storage));
  return writeResponse(request, 200, version, `Patched ${storage.resourceType}/${id}`);
}
