/**
 * The access guard the engine runs on every request and every Bundle entry (engine/request-guard.ts):
 * a request without caller is the server's own, and the root client and administrators have full
 * access (no row rules); everyone else needs an access policy that allows the request
 * (policy-decision.ts), which also sets the rows they may see and write (`request.rows`), or is
 * refused with 403 (access.denied, access.admin-only for an administrative request,
 * access.missing-scope). One rule holds whatever the policies say: $sql is for administrators
 * only, since row rules cannot hold in free SQL. (AuditEvents are append-only for everyone: the
 * audit module's write hook refuses their changes on every write path.) The CapabilityStatement is
 * public.
 */
import type { Caller } from '../core/index.js';
import type { FhirRequest, RequestGuard, Route } from '../engine/index.js';
import { accessErrors } from './access-errors.js';
import { administrativeNeeds } from './admin-guard.js';
import type { AccessDecision, AccessPolicies } from './policy-decision.js';

function refusal(decision: AccessDecision, request: FhirRequest, route: Route): Error {
  if (decision.refusal) return decision.refusal;
  const needs = administrativeNeeds(request, route);
  if (!needs) return accessErrors['access.denied'](undefined);
  const what = route.operation ? `$${route.operation}` : needs.types[0] ?? 'The history of the whole server';
  return accessErrors['access.admin-only']({ what });
}

/** Whether the guard leaves the request to run unnarrowed: the server's own work, administrators, the CapabilityStatement. */
export function bypassesPolicies(caller: Caller | undefined, route: Route): boolean {
  return !caller || caller.admin || route.interaction === 'capabilities';
}

/** The engine guard of access policies. */
export function accessGuard(policies: AccessPolicies): RequestGuard {
  return async (request, route) => {
    const caller = request.caller;
    if (bypassesPolicies(caller, route) || !caller) return;
    if (route.operation === 'sql') throw accessErrors['access.sql-admin-only'](undefined);
    const decision = await policies.decide(request, route, caller);
    if (!decision.allowed) throw refusal(decision, request, route);
    request.rows = decision.rows;
  };
}
