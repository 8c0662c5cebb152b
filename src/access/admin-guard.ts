/**
 * The administrative endpoints, open to the root client and administrators only (until access
 * policies make this a policy): $sql, the storage and API operations, the search index operations
 * and $explain, package loading, and the identity and platform resource types, whether named in the
 * path, as a compartment's target, in _type or in _include/_revinclude, and system-wide history.
 * The engine runs the guard on every request and Bundle entry (engine/request-guard.ts).
 */
import type { Caller } from '../core/index.js';
import type { FhirRequest, Route } from '../engine/index.js';
import { accessErrors } from './access-errors.js';
import { ACCESS_SYSTEM_TYPES } from './access-policy-type.js';

const ADMIN_TYPES = new Set<string>([...ACCESS_SYSTEM_TYPES, 'FlintStorage', 'FlintApi']);

const ADMIN_OPERATIONS = new Set([
  'sql', 'explain', 'search-indexes', 'create-search-index', 'drop-search-index', 'load-package',
  ...['storage', 'api'].flatMap((kind) => [`create-${kind}`, `configure-${kind}`, `list-${kind}`, `delete-${kind}`]),
]);

/** Refuses (403) unless the caller is the root client or an administrator; a request without caller is the server's own. */
export function requireAdmin(caller: Caller | undefined, what: string): void {
  if (caller && !caller.admin) throw accessErrors['access.admin-only']({ what });
}

/** The types a query names in _type, _include and _revinclude. */
function queriedTypes(request: FhirRequest): string[] {
  return request.query
    .filter(([name]) => name === '_type' || name.startsWith('_include') || name.startsWith('_revinclude'))
    .flatMap(([, value]) => value.split(/[,:]/));
}

/** What of the request is administrative, if anything (for the message). */
function administrativePart(request: FhirRequest, route: Route): string | undefined {
  if (route.operation && ADMIN_OPERATIONS.has(route.operation)) return `$${route.operation}`;
  for (const type of [route.resourceType, route.compartmentTarget, ...queriedTypes(request)]) {
    if (type && ADMIN_TYPES.has(type)) return type;
  }
  if (route.interaction === 'history-system') return 'The history of the whole server';
  return undefined;
}

/** The engine guard of the administrative endpoints. */
export function adminGuard(request: FhirRequest, route: Route): void {
  if (!request.caller || request.caller.admin) return;
  const part = administrativePart(request, route);
  if (part) requireAdmin(request.caller, part);
}
