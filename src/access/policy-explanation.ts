/**
 * A decision as plain JSON, for people debugging policies: $test-policy answers with it, and an
 * administrator's request with `x-debug-policy: true` gets it in the `x-policy-decision` header.
 * It says the operation id, whether the request is allowed (or the refusal's code and message),
 * each candidate policy evaluated and whether it allowed, and the effective row rule of each type
 * asked about (`all` when the request is not narrowed).
 */
import { isFhirError, type Caller, type RowRule } from '../core/index.js';
import type { FhirRequest, Route } from '../engine/index.js';
import { accessErrors } from './access-errors.js';
import { bypassesPolicies } from './access-guard.js';
import type { AccessDecision, AccessPolicies } from './policy-decision.js';

export interface PolicyExplanation {
  operation: string;
  allowed: boolean;
  refusal?: { code: string; message: string };
  /** Set when the caller bypasses policies (administrator, server, CapabilityStatement); the policies are then evaluated as for any caller, for information. */
  bypass?: string;
  policies: AccessDecision['evaluated'];
  rows: Record<string, RowRule | 'all'>;
}

function refusalOf(error: unknown): { code: string; message: string } {
  return isFhirError(error) ? { code: error.code, message: error.message } : { code: 'error', message: String(error) };
}

/** The types whose rules an explanation shows: those asked for, else the request's own. */
function shownTypes(route: Route, types: readonly string[]): string[] {
  if (types.length > 0) return [...types];
  const own = route.compartmentTarget && route.compartmentTarget !== '*' ? route.compartmentTarget : route.resourceType;
  return own ? [own] : [];
}

/** Decides the request as the guard would (without throwing) and describes the decision. */
export async function explainAccess(policies: AccessPolicies, request: FhirRequest, route: Route, caller: Caller, types: readonly string[] = []): Promise<PolicyExplanation> {
  try {
    if (route.operation === 'sql' && !caller.admin) throw accessErrors['access.sql-admin-only'](undefined);
  } catch (error) {
    return { operation: route.operation ?? route.interaction, allowed: false, refusal: refusalOf(error), policies: [], rows: {} };
  }
  const decision = await policies.decide(request, route, { ...caller, admin: false });
  const bypass = bypassesPolicies(caller, route) ? (caller.admin ? 'administrator: full access, no row rules' : 'public: the CapabilityStatement') : undefined;
  const rows: Record<string, RowRule | 'all'> = {};
  for (const type of shownTypes(route, types)) rows[type] = bypass || !decision.rows ? 'all' : decision.rows.forType(type);
  return {
    operation: decision.operation,
    allowed: bypass !== undefined || decision.allowed,
    ...(decision.allowed || bypass ? {} : { refusal: refusalOf(decision.refusal ?? accessErrors['access.denied'](undefined)) }),
    ...(bypass ? { bypass } : {}),
    policies: decision.evaluated,
    rows: decision.allowed || bypass ? rows : {},
  };
}
