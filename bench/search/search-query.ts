/**
 * What a benchmark query is: a FHIR search built from sampled values, and the hand-written SQL that
 * answers the same request directly (the same page of the same resources, plus the count when the
 * search asks for a total), with the pieces of plain JSONB SQL the hand-written queries share.
 */
import type { Sampler } from './query-samples.js';

export interface RawStatement {
  text: string;
  values: unknown[];
  /** The statement returns one row with a `total` instead of resources. */
  counts?: boolean;
}

export interface QueryInstance {
  /** The request path with its query string, e.g. /fhir/Patient?name=Smi&_count=10. */
  path: string;
  raw: RawStatement[];
}

export interface SearchQuery {
  name: string;
  /** The request as a template, for the report. */
  template: string;
  /** False for a search most resources match (reported, but not a measure of index use). */
  selective: boolean;
  build(sampler: Sampler): QueryInstance;
}

/** The columns a raw statement returns: what the server reads to build a Bundle entry. */
export const ROW = 'resource_type, id, txid, ts, resource';

/** The server's default page size (FLINT_SEARCH_DEFAULT_COUNT). */
export const DEFAULT_COUNT = 20;

export function searchPath(type: string, params: [string, string][]): string {
  return `/fhir/${type}?${params.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** A JSON array for `@>` on a CodeableConcept's codings or on Identifiers: one element with these keys. */
export const containing = (element: Record<string, string>) => JSON.stringify([element]);

/** FHIR string search on a HumanName array (family, given, text): starts with, ignoring case. */
export function nameStartsWith(names: string, pattern: string): string {
  return `EXISTS (SELECT 1 FROM jsonb_array_elements(${names}) AS n
    WHERE n->>'family' ILIKE ${pattern} OR n->>'text' ILIKE ${pattern}
       OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(n->'given') AS g WHERE g ILIKE ${pattern}))`;
}

/** A LIKE pattern for "starts with" (FHIR string search). */
export const startsWith = (value: string) => `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
