/**
 * Reads the entries of a batch or transaction Bundle (http://hl7.org/fhir/R4/http.html#transaction)
 * into engine requests. A PATCH entry carries a Binary (a JSON Patch document) or a Parameters
 * resource (FHIRPath Patch).
 */
import { FhirError, isJsonObject, isResource, parseFhirJson, parseQueryString, type Bundle, type BundleEntry, type Resource } from '../../core/index.js';
import { engineErrors } from '../engine-errors.js';
import type { FhirRequest, HttpMethod } from '../fhir-request.js';

export interface ParsedEntry {
  index: number;
  method: HttpMethod;
  fullUrl?: string;
  /** The URL path below the base (Patient/1) and its query. */
  path: string;
  request: FhirRequest;
  resource?: Resource;
}

const METHODS: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function entryError(index: number, error: unknown): unknown {
  if (!(error instanceof FhirError)) return error;
  const where = `Bundle.entry[${index}]`;
  const issues = error.issues.map((issue) => ({
    ...issue,
    diagnostics: `${where}: ${issue.diagnostics}`,
    expression: issue.expression?.map((expression) => `${where}.resource.${expression.replace(/^[A-Z][A-Za-z]*\./, '')}`) ?? [where],
  }));
  return new FhirError(error.category, error.code, issues[0].diagnostics, { issues, headers: error.headers });
}

/** The body of a PATCH entry and its media type. */
function patchBody(resource: Resource | undefined, index: number): { body: unknown; contentType: string } {
  if (resource?.resourceType === 'Binary' && typeof resource.data === 'string') {
    try {
      return { body: parseFhirJson(Buffer.from(resource.data, 'base64').toString('utf8')), contentType: 'application/json-patch+json' };
    } catch {
      throw engineErrors['bundle.bad-patch']({ index });
    }
  }
  return { body: resource, contentType: 'application/fhir+json' };
}

/** What an entry inherits from its Bundle's request. */
export type BundleRequest = Pick<FhirRequest, 'baseUrl' | 'headers' | 'view' | 'caller' | 'rows'>;

function parseEntry(entry: BundleEntry, index: number, parent: BundleRequest): ParsedEntry {
  const { baseUrl, headers, view, caller, rows } = parent;
  const where = `Bundle.entry[${index}]`;
  const request = entry.request;
  if (!isJsonObject(request) || typeof request.method !== 'string' || typeof request.url !== 'string') {
    throw engineErrors['bundle.missing-request']({ where }, { expression: `${where}.request` });
  }
  const method = request.method.toUpperCase() as HttpMethod;
  if (!METHODS.includes(method)) throw engineErrors['bundle.bad-method']({ where, method: request.method }, { expression: `${where}.request.method` });
  if (entry.resource !== undefined && !isResource(entry.resource)) {
    throw engineErrors['bundle.bad-resource']({ where }, { expression: `${where}.resource` });
  }
  const url = request.url.startsWith(baseUrl) ? request.url.slice(baseUrl.length) : request.url;
  const [path, search = ''] = url.replace(/^\//, '').split('?', 2);
  const { body, contentType } = method === 'PATCH' ? patchBody(entry.resource, index) : { body: entry.resource, contentType: 'application/fhir+json' };
  return {
    index,
    method,
    fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined,
    path,
    resource: entry.resource,
    request: {
      method, path, query: parseQueryString(search), baseUrl, body, contentType, view, caller, ...(rows ? { rows } : {}),
      headers: {
        prefer: headers.prefer,
        'x-max-isolation-level': headers['x-max-isolation-level'],
        'if-match': request.ifMatch,
        'if-none-match': request.ifNoneMatch,
        'if-none-exist': request.ifNoneExist,
        'if-modified-since': request.ifModifiedSince,
      },
    },
  };
}

/**
 * The entries as requests; they inherit the Bundle request's base, headers, view (JSON Patch paths),
 * caller and row rules (the access guard, which runs on each entry, may set the entry's own).
 */
export function parseBundleEntries(bundle: Bundle, parent: BundleRequest): ParsedEntry[] {
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw engineErrors['bundle.bad-entries'](undefined, { expression: 'Bundle.entry' });
  }
  return (bundle.entry ?? []).map((entry, index) => {
    if (!isJsonObject(entry)) throw engineErrors['bundle.bad-entry']({ index }, { expression: `Bundle.entry[${index}]` });
    return parseEntry(entry as BundleEntry, index, parent);
  });
}
