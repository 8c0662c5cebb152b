/**
 * Turns the response of one entry (or its error) into Bundle.entry.response
 * (http://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.response).
 */
import { errorOutcome, FhirError, statusLine, STATUS_BY_CATEGORY, type BundleEntry } from '../../core/index.js';
import type { FhirResponse } from '../fhir-request.js';

export function responseEntry(response: FhirResponse): BundleEntry {
  const entry: BundleEntry = { response: { status: statusLine(response.status) } };
  const { location, etag } = response.headers;
  const lastModified = response.headers['last-modified'];
  if (location) entry.response!.location = location;
  if (etag) entry.response!.etag = etag;
  if (response.lastModified) entry.response!.lastModified = response.lastModified;
  else if (lastModified) entry.response!.lastModified = new Date(lastModified).toISOString();
  if (response.body?.resourceType === 'OperationOutcome' && response.status !== 200) entry.response!.outcome = response.body;
  else if (response.body) {
    entry.resource = response.body;
    if (response.body.id && response.body.resourceType !== 'Bundle' && location) {
      entry.fullUrl = location.replace(/\/_history\/[^/]+$/, '');
    }
  }
  return entry;
}

/** A failed batch entry: its status and OperationOutcome. Unexpected errors stay errors. */
export function errorEntry(error: unknown): BundleEntry {
  if (!(error instanceof FhirError)) throw error;
  return { response: { status: statusLine(STATUS_BY_CATEGORY[error.category]), outcome: errorOutcome(error) } };
}
