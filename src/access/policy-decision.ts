/**
 * The access decision of a request (docs/access-control.md): the candidate policies of the caller
 * (policy-store.ts) are evaluated on the request object; the request is allowed when one allows
 * it, and the rows of each type are then anyRule of the allowing policies' rows, intersected
 * (bothRules) with the SMART scopes' rows for a token carrying resource scopes. A policy with rows
 * allows only requests on the types they name. An administrative
 * request (admin-guard.ts) is allowed only by a policy that names it: linked to its Operation, or
 * with rows naming the administrative type. The decision is data, so $test-policy and the debug
 * header can show it; the guard (access-guard.ts) turns a denial into a 403.
 */
import { ALL_ROWS, anyRule, bothRules, type Caller, type RowRule, type RowRules } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { FhirRequest, Route } from '../engine/index.js';
import { administrativeNeeds, type AdministrativeNeeds } from './admin-guard.js';
import type { CallerIdentities } from './caller-identities.js';
import { operationId } from './operation-ids.js';
import type { CompiledPolicy, PolicyStore } from './policy-store.js';
import { requestObject, type RequestObject } from './request-object.js';
import { checkScopes, neededPermission, scopeRowRule, tokenResourceScopes } from './scope-rules.js';
import type { ResourceScope } from './smart-scopes.js';

export interface PolicyVerdict {
  id: string;
  engine: string;
  allowed: boolean;
  /** Why an allowing policy does not count: it does not name the administrative part of the request. */
  note?: string;
}

export interface AccessDecision {
  allowed: boolean;
  operation: string;
  evaluated: PolicyVerdict[];
  /** The rows per type; undefined: every row. */
  rows?: RowRules;
  /** The refusal, when not allowed: access.denied or access.missing-scope. */
  refusal?: Error;
}

export interface AccessPoliciesOptions {
  store: PolicyStore;
  identities: CallerIdentities;
  db: Database;
  log: { warn(details: object, message: string): void };
}

function grantsAdministrative(policy: CompiledPolicy, needs: AdministrativeNeeds, operation: string): boolean {
  if (needs.operation && !policy.operations.has(operation)) return false;
  return needs.types.every((type) => policy.rows?.types.has(type) === true);
}

/** Why a policy that allows the request does not count: its rows do not name the request's type, or it does not name an administrative part. */
function limitNote(policy: CompiledPolicy, needs: AdministrativeNeeds | undefined, operation: string, mainType: string | undefined): string | undefined {
  if (needs && !grantsAdministrative(policy, needs, operation)) return 'does not name the administrative part of the request';
  if (mainType && policy.rows && !policy.rows.types.has(mainType)) return `its rows do not name ${mainType}`;
  return undefined;
}

/** The RowRules of the allowing policies and the scopes, each type's rule made once. */
function rowRules(allowing: CompiledPolicy[], request: RequestObject, scoped?: { scopes: ResourceScope[]; caller: Caller; type?: string; letters: string[] }): RowRules | undefined {
  if (!scoped && allowing.some((policy) => !policy.rows)) return undefined;
  const made = new Map<string, RowRule>();
  return {
    forType(type) {
      let rule = made.get(type);
      if (!rule) {
        const policies = anyRule(allowing.map((policy) => policy.rows?.ruleFor(type, request) ?? ALL_ROWS));
        const letters = (type === scoped?.type ? scoped.letters : ['r', 's']) as ('r' | 's')[];
        rule = scoped ? bothRules(policies, scopeRowRule(scoped.scopes, scoped.caller, type, letters)) : policies;
        made.set(type, rule);
      }
      return rule;
    },
  };
}

export class AccessPolicies {
  constructor(private readonly options: AccessPoliciesOptions) {}

  /** Decides a request of a caller that is neither absent nor an administrator. */
  async decide(request: FhirRequest, route: Route, caller: Caller): Promise<AccessDecision> {
    const operation = operationId(request, route);
    const scopes = tokenResourceScopes(caller);
    try {
      if (scopes.length > 0) checkScopes(scopes, route, request.headers);
    } catch (refusal) {
      return { allowed: false, operation, evaluated: [], refusal: refusal as Error };
    }
    const identity = await this.options.identities.identityOf(caller);
    const object = requestObject(request, route, caller, identity);
    const candidates = this.options.store.candidates({ userId: caller.userId, clientId: caller.clientId, roles: identity.roles, operationId: operation });
    const needs = administrativeNeeds(request, route);
    const evaluated: PolicyVerdict[] = [];
    const allowing: CompiledPolicy[] = [];
    const mainType = route.compartmentTarget && route.compartmentTarget !== '*' ? route.compartmentTarget : route.resourceType;
    for (const policy of candidates) {
      const allowed = await policy.body.allows(object, { db: this.options.db, log: this.options.log, policyId: policy.id });
      const note = !allowed ? undefined : limitNote(policy, needs, operation, mainType);
      evaluated.push({ id: policy.id, engine: policy.engine, allowed: allowed && !note, ...(note ? { note } : {}) });
      if (allowed && !note) allowing.push(policy);
    }
    if (allowing.length === 0) return { allowed: false, operation, evaluated };
    const needed = neededPermission(route, request.headers);
    const scoped = scopes.length > 0 ? { scopes, caller, type: needed?.type, letters: needed?.letters ?? ['r', 's'] } : undefined;
    return { allowed: true, operation, evaluated, rows: rowRules(allowing, object, scoped) };
  }
}
