/**
 * The searchset Bundle (http://hl7.org/fhir/R4/bundle.html, search.html#return): match entries
 * (shaped by _summary and _elements), include entries, an outcome entry for ignored parameters,
 * the total, and self, first, previous and next links (cursor links, see page-cursor.ts).
 */
import { encodeQuery, operationOutcome, type Bundle, type BundleEntry, type Issue, type QueryParams, type Resource } from '../../core/index.js';
import type { FhirModel } from '../../model/index.js';
import type { StoredVersion } from '../../storage/index.js';
import { encodeCursor, type PageCursor } from './page-cursor.js';
import { selectElements, summarize } from './result-elements.js';
import type { ParsedSearch } from '../search-request.js';

export interface PageResult {
  matches: StoredVersion[];
  included: StoredVersion[];
  /** Cursors of the first and last match, when there are pages before or after. */
  previous?: PageCursor;
  next?: PageCursor;
  total?: number;
  ignored: Issue[];
}

export interface BundleTarget {
  /** The URL searched, without query: base/Type, base, or base/Patient/1/Observation. */
  url: string;
  baseUrl: string;
  query: QueryParams;
}

function shape(resource: Resource, parsed: ParsedSearch, model: FhirModel): Resource {
  if (parsed.elements && parsed.elements.length > 0) return selectElements(resource, parsed.elements, model);
  if (parsed.summary && parsed.summary !== 'false' && parsed.summary !== 'count') return summarize(resource, parsed.summary, model);
  return resource;
}

function entry(target: BundleTarget, version: StoredVersion, mode: 'match' | 'include', resource: Resource): BundleEntry {
  return { fullUrl: `${target.baseUrl}/${version.resource.resourceType}/${version.resource.id}`, resource, search: { mode } };
}

function pageUrl(target: BundleTarget, cursor?: PageCursor): string {
  const query = target.query.filter(([key]) => key !== '_cursor');
  if (cursor) query.push(['_cursor', encodeCursor(cursor)]);
  return query.length > 0 ? `${target.url}?${encodeQuery(query)}` : target.url;
}

export function searchBundle(target: BundleTarget, parsed: ParsedSearch, result: PageResult, model: FhirModel): Bundle {
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset' };
  if (result.total !== undefined) bundle.total = result.total;
  bundle.link = [{ relation: 'self', url: `${target.url}${target.query.length > 0 ? `?${encodeQuery(target.query)}` : ''}` }];
  if (parsed.summary !== 'count' && parsed.count !== 0) {
    bundle.link.push({ relation: 'first', url: pageUrl(target) });
    if (result.previous) bundle.link.push({ relation: 'previous', url: pageUrl(target, result.previous) });
    if (result.next) bundle.link.push({ relation: 'next', url: pageUrl(target, result.next) });
    bundle.entry = [
      ...result.matches.map((version) => entry(target, version, 'match', shape(version.resource, parsed, model))),
      ...result.included.map((version) => entry(target, version, 'include', version.resource)),
    ];
  }
  if (result.ignored.length > 0) (bundle.entry ??= []).push({ resource: operationOutcome(result.ignored), search: { mode: 'outcome' } });
  return bundle;
}
