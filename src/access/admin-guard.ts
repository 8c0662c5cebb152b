/**
 * The administrative parts of a request: $sql, the storage and API operations, the search index
 * operations and $explain, package loading, $test-policy, the access types (User, Client, Session,
 * Role, AccessPolicy, Operation), FlintStorage and FlintApi, and AuditEvent, whether named in the
 * path, as a compartment's target, in _type or in _include/_revinclude, and system-wide history.
 * They are open to the root client and administrators, and to a caller with a policy that names
 * them (policy-decision.ts): linked to the operation (Operation/FhirListStorage), or with rows
 * naming the type (`Client`, `AuditEvent?...`). $sql alone stays with administrators whatever
 * the policies say (access-guard.ts).
 */
import type { Caller } from '../core/index.js';
import type { FhirRequest, Route } from '../engine/index.js';
import { accessErrors } from './access-errors.js';
import { ACCESS_SYSTEM_TYPES } from './access-policy-type.js';

export const AUDIT_EVENT = 'AuditEvent';

const ADMIN_TYPES = new Set<string>([...ACCESS_SYSTEM_TYPES, 'FlintStorage', 'FlintApi', AUDIT_EVENT]);

const ADMIN_OPERATIONS = new Set([
  'sql', 'explain', 'search-indexes', 'create-search-index', 'drop-search-index', 'load-package', 'test-policy',
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

/** What a policy must name to allow an administrative request: its operation, and the administrative types it touches. */
export interface AdministrativeNeeds {
  operation: boolean;
  types: string[];
}

/** The administrative parts of a request, or undefined when it has none. */
export function administrativeNeeds(request: FhirRequest, route: Route): AdministrativeNeeds | undefined {
  const operation = (route.operation !== undefined && ADMIN_OPERATIONS.has(route.operation)) || route.interaction === 'history-system';
  const named = [route.resourceType, route.compartmentTarget, ...queriedTypes(request)];
  const types = [...new Set(named.filter((type): type is string => type !== undefined && ADMIN_TYPES.has(type)))];
  return operation || types.length > 0 ? { operation, types } : undefined;
}
