/**
 * Maps a method and a path below the FHIR base to an interaction
 * (http://hl7.org/fhir/R4/http.html): the same table serves HTTP requests and Bundle entries.
 */
import { decodePathSegment, type FhirError } from '../core/index.js';
import { engineErrors } from './engine-errors.js';
import type { HttpMethod } from './fhir-request.js';

export type Interaction =
  | 'read' | 'vread' | 'update' | 'patch' | 'delete' | 'history-instance' | 'history-type' | 'history-system'
  | 'create' | 'search-type' | 'search-system' | 'search-compartment' | 'capabilities' | 'batch'
  | 'conditional-update' | 'conditional-patch' | 'conditional-delete' | 'operation';

export interface Route {
  interaction: Interaction;
  resourceType?: string;
  id?: string;
  versionId?: string;
  operation?: string;
  /** For compartment search (Patient/123/Observation): the type searched within the compartment. */
  compartmentTarget?: string;
}

const TYPE = /^[A-Z][A-Za-z0-9]*$/;

const READ = ['GET', 'HEAD'];
const READ_OR_POST = ['GET', 'HEAD', 'POST'];

/** 405 with the Allow header that RFC 9110 (section 15.5.6) requires: the methods the path takes. */
function methodNotAllowed(method: string, path: string, allowed: string[]): FhirError {
  return engineErrors['rest.method-not-allowed']({ detail: `${method} is not supported on /${path}` }, { headers: { allow: allowed.join(', ') } });
}

function badPath(path: string): FhirError {
  return engineErrors['rest.unknown-path']({ path });
}

const SYSTEM_PATHS = new Map<string, Interaction>([
  ['metadata', 'capabilities'], ['_history', 'history-system'], ['_search', 'search-system'],
]);

function systemRoute(method: HttpMethod, segment: string | undefined, path: string): Route {
  const isRead = method === 'GET' || method === 'HEAD';
  if (segment === undefined) {
    if (isRead) return { interaction: 'search-system' };
    if (method === 'POST') return { interaction: 'batch' };
    throw methodNotAllowed(method, path, READ_OR_POST);
  }
  if (segment.startsWith('$')) return { interaction: 'operation', operation: segment.slice(1) };
  const interaction = SYSTEM_PATHS.get(segment);
  if (interaction === undefined) throw badPath(path);
  if (isRead || (method === 'POST' && segment === '_search')) return { interaction };
  throw methodNotAllowed(method, path, segment === '_search' ? READ_OR_POST : READ);
}

function typeRoute(method: HttpMethod, resourceType: string, path: string): Route {
  const route = (interaction: Interaction): Route => ({ interaction, resourceType });
  switch (method) {
    case 'GET': case 'HEAD': return route('search-type');
    case 'POST': return route('create');
    case 'PUT': return route('conditional-update');
    case 'PATCH': return route('conditional-patch');
    case 'DELETE': return route('conditional-delete');
  }
  throw methodNotAllowed(method, path, ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
}

function instanceRoute(method: HttpMethod, resourceType: string, id: string, path: string): Route {
  const route = (interaction: Interaction): Route => ({ interaction, resourceType, id });
  switch (method) {
    case 'GET': case 'HEAD': return route('read');
    case 'PUT': return route('update');
    case 'PATCH': return route('patch');
    case 'DELETE': return route('delete');
  }
  throw methodNotAllowed(method, path, ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);
}

/** Parses the path (no leading slash, no query) for a method. Throws 400/404/405 FhirErrors. */
export function parseRoute(method: HttpMethod, path: string): Route {
  const segments = path.split('/').filter((segment) => segment !== '').map(decodePathSegment);
  const [first, second, third, fourth, ...rest] = segments;
  if (first === undefined || !TYPE.test(first) || first === 'metadata') return systemRoute(method, first, path);
  if (rest.length > 0) throw badPath(path);
  const isRead = method === 'GET' || method === 'HEAD';
  if (second === undefined) return typeRoute(method, first, path);
  if (second === '_search' && third === undefined) {
    if (method === 'POST' || isRead) return { interaction: 'search-type', resourceType: first };
    throw methodNotAllowed(method, path, READ_OR_POST);
  }
  if (second === '_history' && third === undefined) {
    if (isRead) return { interaction: 'history-type', resourceType: first };
    throw methodNotAllowed(method, path, READ);
  }
  if (second.startsWith('$') && third === undefined) return { interaction: 'operation', resourceType: first, operation: second.slice(1) };
  if (third === undefined) return instanceRoute(method, first, second, path);
  if (third === '_history') {
    if (!isRead) throw methodNotAllowed(method, path, READ);
    if (fourth === undefined) return { interaction: 'history-instance', resourceType: first, id: second };
    return { interaction: 'vread', resourceType: first, id: second, versionId: fourth };
  }
  if (third.startsWith('$') && fourth === undefined) {
    return { interaction: 'operation', resourceType: first, id: second, operation: third.slice(1) };
  }
  if ((TYPE.test(third) || third === '*') && fourth === undefined) {
    if (!isRead) throw methodNotAllowed(method, path, READ);
    return { interaction: 'search-compartment', resourceType: first, id: second, compartmentTarget: third };
  }
  throw badPath(path);
}
