/**
 * The transport-agnostic request and response of the engine (http is one adapter that makes them;
 * batch and transaction entries are another).
 */
import type { Caller, QueryParams, Resource, RowRules } from '../core/index.js';

export type { QueryParams } from '../core/index.js';
export { encodeQuery, parseQueryString, queryValue, withoutParams } from '../core/index.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a client sees resources when it is not FHIR JSON (the native API's Aidbox format): a JSON
 * Patch addresses that view, so the engine applies it to toView(current) and stores fromView(result).
 */
export interface ResourceView {
  toView(resource: Resource): Resource;
  fromView(view: Resource): Resource;
}

export interface FhirRequest {
  method: HttpMethod;
  /** The path below the FHIR base, without leading slash: Patient/123/_history/2. */
  path: string;
  query: QueryParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The parsed body: a resource, a JSON Patch array, or undefined. */
  body?: unknown;
  /** The media type of the body, without parameters (application/fhir+json). */
  contentType?: string;
  /** The absolute base URL of the API (http://localhost:8080/fhir), for links and fullUrls. */
  baseUrl: string;
  /** The view JSON Patch paths address; FHIR JSON when absent. Bundle entries inherit it. */
  view?: ResourceView;
  /**
   * Aborts when the client went away: the request's database work is cancelled (its running
   * statement stopped, its transaction rolled back). Bundle entries run under their Bundle's.
   */
  signal?: AbortSignal;
  /** Who asks (the access module authenticated the request); absent for the server's own work. Bundle entries inherit it. */
  caller?: Caller;
  /**
   * The rows the caller may see and write, per type (core/row-rules.ts): set by the access guard for
   * each request and each Bundle entry; absent, every row. Every read path compiles them into its SQL.
   */
  rows?: RowRules;
}

export interface FhirResponse {
  status: number;
  body?: Resource;
  headers: Record<string, string>;
  /** The version's meta.lastUpdated (milliseconds), which the Last-Modified header rounds to seconds. */
  lastModified?: string;
  /**
   * The body as JSON text when the database wrote it (reads): sent as it is; `body` then parses it on
   * first use, for the callers that need the resource (native API, bundles, _pretty).
   */
  bodyText?: string;
}

