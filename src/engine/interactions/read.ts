/**
 * read and vread (http://hl7.org/fhir/R4/http.html#read, #vread): the current or a given version,
 * 410 Gone for deleted resources, 304 for If-None-Match / If-Modified-Since. A row the caller's row
 * rules hide is not found, exactly like a missing one (a deleted one whose last version is hidden too).
 */
import { isStoredVersionId, type FhirError } from '../../core/index.js';
import { engineErrors } from '../engine-errors.js';
import { readCurrentText, readLatestHistory, readVersionText, type StoredText, type StoredVersion } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { isNotModified } from '../preconditions.js';
import { readTextResponse, versionHeaders } from '../resource-response.js';
import { storageOf } from '../resource-input.js';
import type { Route } from '../route.js';
import { visibleRows } from '../visible-rows.js';
import type { Scope } from '../write-transaction.js';

/** The stored text as the answer, or 304 when the client's copy is current. */
function respond(request: FhirRequest, version: StoredText): FhirResponse {
  if (isNotModified(request.headers, version.versionId, version.lastUpdated)) {
    return { status: 304, headers: versionHeaders(version) };
  }
  return readTextResponse(version);
}

function gone(version: Pick<StoredText, 'resourceType' | 'id' | 'versionId' | 'lastUpdated'>): FhirError {
  const { resourceType, id, versionId } = version;
  return engineErrors['rest.deleted']({ resourceType, id, versionId }, { headers: versionHeaders(version) });
}

function storedNames(version: StoredVersion): Pick<StoredText, 'resourceType' | 'id' | 'versionId' | 'lastUpdated'> {
  return { resourceType: version.resource.resourceType, id: version.resource.id as string, versionId: version.versionId, lastUpdated: version.lastUpdated };
}

export async function read(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const db = scope.tx ?? ctx.db;
  const id = route.id as string;
  const visible = visibleRows(ctx, request, storage.resourceType);
  const current = await readCurrentText(db, storage, id, visible);
  if (current) return respond(request, current);
  const latest = await readLatestHistory(db, storage, id, visible);
  if (latest?.status === 'deleted') throw gone(storedNames(latest));
  throw engineErrors['rest.resource-not-found']({ resourceType: route.resourceType, id });
}

export async function vread(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  const storage = storageOf(ctx, route.resourceType);
  const db = scope.tx ?? ctx.db;
  const versionId = route.versionId as string;
  const visible = visibleRows(ctx, request, storage.resourceType);
  const version = isStoredVersionId(versionId) ? await readVersionText(db, storage, route.id as string, versionId, visible) : undefined;
  if (!version) {
    throw engineErrors['rest.version-not-found']({ resourceType: route.resourceType, id: route.id, versionId });
  }
  if (version.status === 'deleted') throw gone(version);
  return respond(request, version);
}
