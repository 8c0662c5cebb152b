/**
 * Helpers shared by the black-box search tests (http://hl7.org/fhir/R4/search.html): loading
 * resources with PUT under readable ids, running a query through the HTTP API, reading the ids of
 * the matches (outcome and include entries left out) and registering table-driven cases.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FhirAnswer, RequestOptions, TestFlint } from '../support/test-server.js';

/** A query (as written in the spec, unencoded) and the ids of the resources it must match. */
export type SearchCase = [query: string, expected: string[]];

/** A query whose answer is at the server's discretion around the edges (the `ap` prefix). */
export interface FuzzyCase {
  query: string;
  includes: string[];
  excludes: string[];
}

export interface TestResource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

/** Percent-encodes the value of each `name=value` pair; names (with their :modifiers and chains) stay as written. */
export function searchUrl(path: string, query: string): string {
  if (query === '') return path;
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? pair : `${pair.slice(0, eq)}=${encodeURIComponent(pair.slice(eq + 1))}`;
  });
  return `${path}?${pairs.join('&')}`;
}

/** Turns an absolute link of the test server (http://flint.test/fhir/...) into a path for inject. */
export function linkPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export function link(bundle: any, ...relations: string[]): string | undefined {
  return (bundle?.link ?? []).find((entry: any) => relations.includes(entry.relation))?.url;
}

function entries(bundle: any): any[] {
  return bundle?.entry ?? [];
}

/** Entries that are matches: neither included resources nor OperationOutcomes. */
export function matchEntries(bundle: any): any[] {
  return entries(bundle).filter((entry) => entry.search?.mode !== 'outcome' && entry.search?.mode !== 'include');
}

/** The ids of the matches, sorted. */
export function matchIds(bundle: any): string[] {
  return matchEntries(bundle).map((entry) => entry.resource?.id).sort();
}

/** The ids of the matches in the order the server returned them. */
export function orderedIds(bundle: any): string[] {
  return matchEntries(bundle).map((entry) => entry.resource?.id);
}

/** `Type/id` of the matches, sorted (for searches across types). */
export function typedMatchIds(bundle: any): string[] {
  return matchEntries(bundle).map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`).sort();
}

/** `Type/id` of the included resources (search.mode include), sorted. */
export function includedIds(bundle: any): string[] {
  return entries(bundle).filter((entry) => entry.search?.mode === 'include')
    .map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`).sort();
}

/** The OperationOutcome entries of a searchset. */
export function outcomeEntries(bundle: any): any[] {
  return entries(bundle).filter((entry) => entry.search?.mode === 'outcome');
}

/** Runs a search and checks it answered a searchset Bundle. */
export async function searchBundle(flint: TestFlint, path: string, query: string, options?: RequestOptions): Promise<any> {
  const answer = await flint.get(searchUrl(path, query), options);
  assert.equal(answer.status, 200, `${path}?${query} answered ${answer.status}: ${answer.text.slice(0, 600)}`);
  assert.equal(answer.body?.resourceType, 'Bundle', `${path}?${query} did not answer a Bundle`);
  assert.equal(answer.body.type, 'searchset');
  return answer.body;
}

/** The sorted ids of the matches of a search. */
export async function searchIds(flint: TestFlint, path: string, query: string, options?: RequestOptions): Promise<string[]> {
  return matchIds(await searchBundle(flint, path, query, options));
}

/** One `it` per case: `[base]/<type>?<query>` matches exactly the expected ids. */
export function searchCases(flint: () => TestFlint, type: string, cases: SearchCase[]): void {
  for (const [query, expected] of cases) {
    it(`${type}?${query}`, async () => {
      assert.deepEqual(await searchIds(flint(), `/fhir/${type}`, query), [...expected].sort());
    });
  }
}

/** One `it` per fuzzy case: the matches hold every id of `includes` and none of `excludes`. */
export function fuzzyCases(flint: () => TestFlint, type: string, cases: FuzzyCase[]): void {
  for (const { query, includes, excludes } of cases) {
    it(`${type}?${query} (approximate)`, async () => {
      const ids = await searchIds(flint(), `/fhir/${type}`, query);
      assert.deepEqual(includes.filter((id) => !ids.includes(id)), [], `${query} must match ${includes.join(', ')}; got ${ids.join(', ')}`);
      assert.deepEqual(excludes.filter((id) => ids.includes(id)), [], `${query} must not match ${excludes.join(', ')}`);
    });
  }
}

/** Stores resources with PUT [base]/<type>/<id> (so the ids in the cases are the ones written here). */
export async function putAll(flint: TestFlint, resources: TestResource[]): Promise<void> {
  for (const resource of resources) {
    const answer: FhirAnswer = await flint.put(`/fhir/${resource.resourceType}/${resource.id}`, resource);
    assert.ok(answer.status === 200 || answer.status === 201,
      `PUT ${resource.resourceType}/${resource.id} answered ${answer.status}: ${answer.text.slice(0, 600)}`);
  }
}

/** Every id of a list except some (readable expectations for :missing=false and :not). */
export function allBut(ids: string[], ...excluded: string[]): string[] {
  return ids.filter((id) => !excluded.includes(id));
}

/** The text of an OperationOutcome's issues (expression and diagnostics), to check it names a parameter. */
export function issueText(outcome: any): string {
  return (outcome?.issue ?? []).map((issue: any) => [...(issue.expression ?? []), issue.diagnostics ?? ''].join(' ')).join(' ');
}

export const UCUM = 'http://unitsofmeasure.org';
export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
