/**
 * Conditional request headers (http://hl7.org/fhir/R4/http.html#concurrency, #cread):
 * If-Match on writes (412 on mismatch), If-None-Match on writes (412 when it matches, RFC 9110
 * section 13.1.2), If-None-Match and If-Modified-Since on reads (304).
 */
import { engineErrors } from './engine-errors.js';

/** The version in an ETag: W/"3" -> 3. Also accepts "3" and 3. */
export function versionFromETag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export function etagFor(versionId: string): string {
  return `W/"${versionId}"`;
}

/** Throws 412 when If-Match names another version than the current one (or there is none). */
export function checkIfMatch(ifMatch: string | undefined, currentVersionId: string | undefined): void {
  if (ifMatch === undefined) return;
  const expected = versionFromETag(ifMatch);
  if (currentVersionId === undefined) {
    throw engineErrors['rest.if-match-no-resource']({ expected });
  }
  if (expected !== currentVersionId) {
    throw engineErrors['rest.version-conflict']({ expected, current: currentVersionId });
  }
}

/**
 * If-None-Match on a write (RFC 9110 section 13.1.2): `*` fails when the resource exists, a list of
 * ETags fails when it names the current version. A failed condition is 412 and nothing changes.
 */
export function checkIfNoneMatchOnWrite(ifNoneMatch: string | undefined, currentVersionId: string | undefined): void {
  if (ifNoneMatch === undefined || currentVersionId === undefined) return;
  const tags = ifNoneMatch.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) {
    throw engineErrors['rest.if-none-match-exists']({ current: currentVersionId });
  }
  if (tags.some((tag) => versionFromETag(tag) === currentVersionId)) {
    throw engineErrors['rest.if-none-match-version']({ current: currentVersionId });
  }
}

/** Whether a read can answer 304 Not Modified. */
export function isNotModified(headers: Record<string, string | undefined>, versionId: string, lastUpdated: string): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || versionFromETag(tag) === versionId);
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have second precision: compare at that precision.
    return !Number.isNaN(since) && Math.floor(Date.parse(lastUpdated) / 1000) * 1000 <= since;
  }
  return false;
}

/** An HTTP date from an instant (Last-Modified). */
export function httpDate(instant: string): string {
  return new Date(instant).toUTCString();
}
