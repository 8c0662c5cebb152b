/**
 * What an answered request says for its audit event: the interaction (from the route), the
 * resource or the query it is about, the patients it concerns, and its outcome. Reads take the
 * version from the answer (ETag) and the patient from the resource read; searches record their
 * query and the patients their parameters name; failures carry the error's code and message.
 */
import { encodeQuery, isFhirError, STATUS_BY_CATEGORY, type Resource } from '../core/index.js';
import type { FhirRequest, FhirResponse, Route } from '../engine/index.js';
import type { FhirModel } from '../model/index.js';
import { restSubtype, type RestSubtype } from './audit-codes.js';
import type { RestEventFacts } from './audit-event.js';
import { canHavePatient, patientsOfQuery, patientsOfResource } from './patient-subjects.js';

/** The status an error answers with: its category's, 500 for anything unexpected. */
export function errorStatus(error: unknown): number {
  return isFhirError(error) ? STATUS_BY_CATEGORY[error.category] : 500;
}

/** outcomeDesc: the stable code and message of a FhirError; nothing of an unexpected error's text. */
export function failureText(error: unknown): string {
  return isFhirError(error) ? `${error.code}: ${error.message}` : 'internal server error';
}

/** The version an answer names (ETag W/"3"), if any. */
function answeredVersion(response: FhirResponse | undefined): string | undefined {
  const etag = response?.headers.etag ?? response?.headers.ETag;
  return etag === undefined ? undefined : /^W\/"([^"]+)"$/.exec(etag)?.[1];
}

function instancePath(route: Route, version: string | undefined): string | undefined {
  if (route.resourceType === undefined || route.id === undefined) return undefined;
  const base = `${route.resourceType}/${route.id}`;
  return version === undefined ? base : `${base}/_history/${version}`;
}

/** The patients of a read: the Patient read, or those the resource read references (when it can have any). */
function readPatients(model: FhirModel, route: Route, response: FhirResponse | undefined): string[] {
  const type = route.resourceType;
  if (type === undefined || route.id === undefined || !canHavePatient(model, type)) return [];
  if (type === 'Patient') return [route.id];
  if (!response || response.status >= 300) return [];
  return patientsOfResource(model, type, route.id, response.body as Resource | undefined);
}

function searchedType(route: Route): string | undefined {
  return route.interaction === 'search-compartment' ? route.compartmentTarget : route.resourceType;
}

/** The query of a search or history, as requested: Type?params (or Patient/1/Observation?params), URL-encoded. */
function queryText(request: FhirRequest): string {
  const query = encodeQuery(request.query);
  return query === '' ? request.path : `${request.path}?${query}`;
}

function searchPatients(model: FhirModel, route: Route, request: FhirRequest): string[] {
  if (route.interaction === 'search-compartment' && route.resourceType === 'Patient' && route.id) return [route.id];
  if (route.interaction === 'history-instance' && route.resourceType === 'Patient' && route.id) return [route.id];
  return patientsOfQuery(model, searchedType(route), request.query);
}

/** The parts that depend on the interaction: target, query, operation, patients. */
function subjectFacts(model: FhirModel, request: FhirRequest, route: Route, subtype: RestSubtype, response?: FhirResponse): Partial<RestEventFacts> {
  switch (subtype) {
    case 'read': case 'vread':
      return { target: instancePath(route, route.versionId ?? answeredVersion(response)), patients: readPatients(model, route, response) };
    case 'search-type': case 'search-system': case 'history-type': case 'history-system':
      return { query: queryText(request), patients: searchPatients(model, route, request) };
    case 'history-instance':
      return { target: instancePath(route, undefined), query: queryText(request), patients: searchPatients(model, route, request) };
    case 'operation':
      return { target: instancePath(route, undefined), operation: `$${route.operation}`, patients: route.resourceType === 'Patient' && route.id ? [route.id] : [] };
    case 'batch': case 'transaction': case 'capabilities':
      return { patients: [] };
    default:
      // A write by id or criteria: the resource named, or the criteria matched.
      return { target: instancePath(route, answeredVersion(response)), ...(route.id ? {} : { query: queryText(request) }), patients: [] };
  }
}

/** The facts of a request that answered or failed. */
export function interactionFacts(
  model: FhirModel, request: FhirRequest, route: Route, outcome: { response: FhirResponse } | { error: unknown },
): RestEventFacts {
  const bundleType = route.interaction === 'batch' ? (request.body as { type?: unknown } | undefined)?.type : undefined;
  const subtype = restSubtype(route.interaction, bundleType);
  const response = 'response' in outcome ? outcome.response : undefined;
  const status = response ? response.status : errorStatus((outcome as { error: unknown }).error);
  return {
    subtype, status, caller: request.caller, baseUrl: request.baseUrl, patients: [],
    ...subjectFacts(model, request, route, subtype, response),
    ...('error' in outcome ? { failure: failureText(outcome.error) } : {}),
  };
}
