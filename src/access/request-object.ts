/**
 * The request object access policies see (docs/access-control.md), in the shape Aidbox documents,
 * so a policy written for Aidbox reads the same names here: `request-method` (lower case),
 * `scheme`, `uri` (the path without the query), `query-string`, `params` (the query parameters, a
 * repeated one as an array, with the route's `resource/type`, `resource/id`, `type` and `id`),
 * `body` and `resource` (the parsed body), `headers` (without credentials), `user`, `client`,
 * `jwt` (the bearer token's claims), `roles`, `operation.id`, and Flint's `scopes`, `context`
 * (the SMART launch: patient, encounter) and `fhirUser`.
 */
import { decodeJwt } from 'jose';
import type { Caller, Resource } from '../core/index.js';
import { encodeQuery, type FhirRequest, type Route } from '../engine/index.js';
import { operationId } from './operation-ids.js';

/** Who the caller is, read from the identity resources (cached: caller-identities.ts). */
export interface CallerIdentity {
  user?: Resource;
  client?: Resource;
  /** The names of the user's Roles. */
  roles: string[];
}

export type RequestObject = Record<string, unknown>;

/** Headers a policy never sees: they carry credentials. */
const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function params(request: FhirRequest, route: Route): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of request.query) {
    const known = result[name];
    result[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  if (route.resourceType) result['resource/type'] = result.type = route.resourceType;
  if (route.id) result['resource/id'] = result.id = route.id;
  if (route.versionId) result['resource/version'] = route.versionId;
  if (route.compartmentTarget) result['resource/target'] = route.compartmentTarget;
  return result;
}

function headers(request: FhirRequest): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !HIDDEN_HEADERS.has(name)) result[name] = value;
  return result;
}

/** The claims of the request's bearer token (already verified by authentication); undefined otherwise. */
function jwtClaims(request: FhirRequest, caller: Caller): Record<string, unknown> | undefined {
  const authorization = request.headers.authorization;
  if (caller.via !== 'bearer' || !authorization?.toLowerCase().startsWith('bearer ')) return undefined;
  try {
    return decodeJwt(authorization.slice(7).trim()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function basePath(baseUrl: string): { scheme: string; path: string } {
  try {
    const url = new URL(baseUrl);
    return { scheme: url.protocol.replace(/:$/, ''), path: url.pathname.replace(/\/$/, '') };
  } catch {
    return { scheme: 'http', path: '' };
  }
}

/** The request object of a request by a caller. */
export function requestObject(request: FhirRequest, route: Route, caller: Caller, identity: CallerIdentity): RequestObject {
  const base = basePath(request.baseUrl);
  const object: RequestObject = {
    'request-method': request.method.toLowerCase(),
    scheme: base.scheme,
    uri: `${base.path}/${request.path}`,
    'query-string': encodeQuery(request.query),
    params: params(request, route),
    headers: headers(request),
    operation: { id: operationId(request, route) },
    roles: identity.roles,
    scopes: [...caller.scopes],
    context: { ...caller.launch },
  };
  if (request.body !== undefined) object.body = object.resource = request.body;
  if (identity.user) object.user = identity.user;
  if (identity.client) object.client = identity.client;
  const jwt = jwtClaims(request, caller);
  if (jwt) object.jwt = jwt;
  if (caller.fhirUser) object.fhirUser = caller.fhirUser;
  return object;
}
