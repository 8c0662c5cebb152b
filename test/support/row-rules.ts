/**
 * Row rules for tests (core/row-rules.ts): RowRules built by hand, and requests sent straight to
 * the engine as a caller with them (handleRequest, no HTTP and no access policies), answering
 * errors as statuses and codes the way the http module would.
 */
import { FhirError, NO_ROWS, parseQueryString, STATUS_BY_CATEGORY, type RowRule, type RowRules } from '../../src/core/index.js';
import { handleRequest, type EngineContext, type FhirRequest, type HttpMethod } from '../../src/engine/index.js';

/** The base URL of test servers (testConfig). */
export const TEST_BASE = 'http://flint.test/fhir';

export const criteria = (query: string): RowRule => ({ kind: 'criteria', query: parseQueryString(query) });
export const compartment = (type: string, id: string): RowRule => ({ kind: 'compartment', compartment: type, id });
export const anyOfRules = (...rules: RowRule[]): RowRule => ({ kind: 'any', rules });
export const everyRule = (...rules: RowRule[]): RowRule => ({ kind: 'every', rules });

/** Rules by type; a type not named gets `otherwise` (no rows unless told). */
export function rowsOf(byType: Record<string, RowRule>, otherwise: RowRule = NO_ROWS): RowRules {
  return { forType: (type) => byType[type] ?? otherwise };
}

export interface EngineAnswer {
  status: number;
  body: any;
  headers: Record<string, string>;
  /** The error's stable code, when the engine refused. */
  code?: string;
}

export interface EngineCall {
  (method: HttpMethod, url: string, body?: unknown, headers?: Record<string, string>): Promise<EngineAnswer>;
}

/** A request of a URL relative to the base (Observation?x=1) or absolute (a Bundle link). */
export function engineRequest(method: HttpMethod, url: string, body?: unknown, headers: Record<string, string> = {}): FhirRequest {
  const relative = url.startsWith(TEST_BASE) ? url.slice(TEST_BASE.length + 1) : url;
  const [path, search = ''] = relative.split('?', 2);
  const contentType = Array.isArray(body) ? 'application/json-patch+json' : 'application/fhir+json';
  return { method, path, query: parseQueryString(search), headers, body, contentType, baseUrl: TEST_BASE };
}

/** Sends requests to the engine as a caller with these rows (undefined: every row). */
export function asCaller(ctx: EngineContext, rows: RowRules | undefined): EngineCall {
  return async (method, url, body, headers) => {
    const request = engineRequest(method, url, body, headers);
    try {
      const response = await handleRequest(ctx, rows ? { ...request, rows } : request);
      return { status: response.status, body: response.body, headers: response.headers };
    } catch (error) {
      if (!(error instanceof FhirError)) throw error;
      return { status: STATUS_BY_CATEGORY[error.category], body: undefined, headers: {}, code: error.code };
    }
  };
}

/** The Type/id of each entry of a Bundle, in order. */
export function entryKeys(bundle: any): string[] {
  return (bundle?.entry ?? []).map((entry: any) => `${entry.resource.resourceType}/${entry.resource.id}`);
}

/** The ids of the entries of a searchset with search.mode match (or include), sorted. */
export function idsOf(bundle: any, mode: 'match' | 'include' = 'match'): string[] {
  return (bundle?.entry ?? []).filter((entry: any) => entry.search?.mode === mode).map((entry: any) => entry.resource.id).sort();
}
