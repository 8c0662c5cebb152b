/**
 * Shapes the answer to an interaction that returns a resource version: ETag, Last-Modified,
 * Location, and the body the client asked for with Prefer.
 */
import { informationOutcome, parseFhirJson, type Resource } from '../core/index.js';
import type { StoredText, StoredVersion } from '../storage/index.js';
import type { FhirRequest, FhirResponse } from './fhir-request.js';
import { etagFor, httpDate } from './preconditions.js';
import { returnPreference } from './prefer.js';

export function versionHeaders(version: Pick<StoredVersion, 'versionId' | 'lastUpdated'>): Record<string, string> {
  return { etag: etagFor(version.versionId), 'last-modified': httpDate(version.lastUpdated) };
}

/** Type/id/_history/vid, relative to the base. */
export function versionPath(version: StoredVersion): string {
  return `${version.resource.resourceType}/${version.resource.id}/_history/${version.versionId}`;
}

/** The response of a read-like interaction: the resource with its version headers. */
export function readResponse(version: StoredVersion): FhirResponse {
  return { status: 200, body: version.resource, headers: versionHeaders(version), lastModified: version.lastUpdated };
}

/** A read answered with the JSON text the database built; the body is parsed only if someone asks for it. */
export function readTextResponse(stored: StoredText): FhirResponse {
  let parsed: Resource | undefined;
  return {
    status: 200,
    headers: versionHeaders(stored),
    lastModified: stored.lastUpdated,
    bodyText: stored.text,
    get body(): Resource {
      parsed ??= parseFhirJson(stored.text) as Resource;
      return parsed;
    },
  };
}

/** The response of a write: status, version headers, Location, and the body Prefer asks for. */
export function writeResponse(request: FhirRequest, status: number, version: StoredVersion, message: string): FhirResponse {
  const headers = versionHeaders(version);
  if (status === 201 || status === 200) headers.location = `${request.baseUrl}/${versionPath(version)}`;
  switch (returnPreference(request.headers)) {
    case 'minimal':
      return { status, headers, lastModified: version.lastUpdated };
    case 'OperationOutcome':
      return { status, headers, body: informationOutcome('rest.ok', message), lastModified: version.lastUpdated };
    default:
      return { status, headers, body: version.resource, lastModified: version.lastUpdated };
  }
}
