/**
 * The seed's storage rule: the stored resource has no id, resourceType, meta.versionId or
 * meta.lastUpdated (they are the id, resource_type, txid and ts columns), and reading rebuilds them.
 */
import { withNumberTexts, type JsonObject, type Resource } from '../core/index.js';
import { toFhirInstant } from '../db/index.js';

/** What made the version: patched is an update by PATCH (the history entry's request.method). */
export type ResourceStatus = 'created' | 'updated' | 'patched' | 'deleted' | 'recreated';

export interface ResourceRow {
  id: string;
  txid: string;
  ts: string;
  resource_type: string;
  status: ResourceStatus;
  resource: JsonObject;
}

/** A stored version: the resource as a client sees it, plus what the row says about it. */
export interface StoredVersion {
  resource: Resource;
  versionId: string;
  lastUpdated: string;
  status: ResourceStatus;
}

/** The JSON to store: the resource without id, resourceType and the server-owned meta fields. */
export function toStoredJson(resource: Resource): JsonObject {
  const stored: JsonObject = {};
  for (const key of Object.keys(resource)) {
    if (key === 'resourceType' || key === 'id') continue;
    if (key === 'meta') {
      const { versionId: _versionId, lastUpdated: _lastUpdated, ...meta } = resource.meta ?? {};
      if (Object.keys(meta).length > 0) stored.meta = meta;
      continue;
    }
    stored[key] = resource[key];
  }
  return withNumberTexts(resource, stored);
}

/** Rebuilds the resource: resourceType, id and meta (versionId = txid, lastUpdated = ts) first. */
export function fromRow(row: ResourceRow): StoredVersion {
  const versionId = String(row.txid);
  const lastUpdated = toFhirInstant(row.ts);
  const body = row.resource;
  const storedMeta = body.meta as JsonObject | undefined;
  const resource: Resource = {
    resourceType: row.resource_type,
    id: row.id,
    meta: storedMeta ? { ...storedMeta, versionId, lastUpdated } : { versionId, lastUpdated },
  };
  for (const key of Object.keys(body)) if (key !== 'meta') resource[key] = body[key];
  withNumberTexts(body, resource);
  return { resource, versionId, lastUpdated, status: row.status };
}
