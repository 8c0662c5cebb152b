/**
 * What a benchmark query is: a FHIR search built from sampled values, and the hand-written SQL that
 * answers the same request directly with the key expressions Flint uses (bench/search/flint-keys.ts):
 * the same page of the same resources in the same order (the sort keys, then id), one look-ahead row
 * as the server reads, and the count when the search asks for a total.
 */
import type { Sampler } from './query-samples.js';

export interface RawStatement {
  text: string;
  values: unknown[];
  /** The statement returns one row with a `total` instead of resources. */
  counts?: boolean;
  /** The page size: rows after it are the look-ahead row the server reads to know of a next page. */
  page?: number;
}

/** A statement whose rows decide the next one (a chain's targets, which choose the plan); not part of the answer. */
export interface RawStep {
  text: string;
  values: unknown[];
  then(rows: Record<string, unknown>[]): RawStatement;
}

export interface QueryInstance {
  /** The request path with its query string, e.g. /fhir/Patient?name=Smi&_count=10. */
  path: string;
  raw: (RawStatement | RawStep)[];
}

export interface SearchQuery {
  name: string;
  /** The request as a template, for the report. */
  template: string;
  /** False for a search most resources match (reported, but not a measure of index use). */
  selective: boolean;
  /** `fhirBase` is the server's base with a trailing slash (absolute references to it are local). */
  build(sampler: Sampler, fhirBase: string): QueryInstance;
}

/**
 * The columns a raw statement returns: what the server reads to build a Bundle entry. A statement
 * that also returns included resources adds a `mode` column ('match' or 'include').
 */
export const ROW = 'id, txid, ts, resource_type, status, resource';

/** The server's default page size (FLINT_SEARCH_DEFAULT_COUNT). */
export const DEFAULT_COUNT = 20;

export function searchPath(type: string, params: [string, string][]): string {
  return `/fhir/${type}?${params.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}
