/**
 * Parsing of FHIR references (http://hl7.org/fhir/R4/references.html): relative (Type/id, with an
 * optional _history/version), absolute URLs, contained ("#id") and temporary (urn:uuid:, urn:oid:);
 * and whether a URI is absolute.
 */

export interface ParsedReference {
  kind: 'relative' | 'absolute' | 'contained' | 'urn';
  resourceType?: string;
  id?: string;
  versionId?: string;
  /** For absolute references: the part before Type/id (the other server's base). */
  base?: string;
}

const RELATIVE = /^([A-Z][A-Za-z0-9]*)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;
const ABSOLUTE = /^(https?:\/\/.+?)\/([A-Z][A-Za-z0-9]*)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Does the value start with a URI scheme (http:, urn:, ...), that is, is it an absolute URI (RFC 3986)? */
export function isAbsoluteUri(value: string): boolean {
  return SCHEME.test(value);
}

export function parseReference(reference: string): ParsedReference | undefined {
  if (reference.startsWith('#')) return { kind: 'contained', id: reference.slice(1) };
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) return { kind: 'urn' };
  const relative = RELATIVE.exec(reference);
  if (relative) return { kind: 'relative', resourceType: relative[1], id: relative[2], versionId: relative[3] };
  const absolute = ABSOLUTE.exec(reference);
  if (absolute) {
    return { kind: 'absolute', base: absolute[1], resourceType: absolute[2], id: absolute[3], versionId: absolute[4] };
  }
  return undefined;
}
