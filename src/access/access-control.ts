/**
 * Access control assembled: the live AccessPolicy store (fed by the metadata sync, which checks
 * each policy before it is stored and applies it on every process), the cache of callers'
 * identities (a write hook that clears it everywhere), the decision, the engine guard, $test-policy
 * and the explanation the debug header shows. The composition root installs it.
 */
import type { Caller } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { EngineContext, FhirRequest, RequestGuard, Route } from '../engine/index.js';
import type { MetadataSync } from '../metadata/index.js';
import type { FhirModel } from '../model/index.js';
import { accessGuard } from './access-guard.js';
import { ACCESS_POLICY } from './access-policy-type.js';
import { CallerIdentities } from './caller-identities.js';
import { AccessPolicies } from './policy-decision.js';
import { explainAccess, type PolicyExplanation } from './policy-explanation.js';
import { PolicyStore } from './policy-store.js';
import { testPolicyOperation } from './test-policy.js';

export interface AccessControlOptions {
  db: Database;
  model: FhirModel;
  storages: EngineContext['storages'];
  /** The server's log, read when needed (it exists once the HTTP app does). */
  log: () => { warn(details: object, message: string): void };
}

export interface AccessControl {
  store: PolicyStore;
  identities: CallerIdentities;
  policies: AccessPolicies;
  /** The engine guard of every request and Bundle entry. */
  guard: RequestGuard;
  /** Makes AccessPolicy live metadata, hooks the identity cache and registers $test-policy. */
  install(ctx: EngineContext, metadata: MetadataSync): void;
  explain(request: FhirRequest, route: Route, caller: Caller): Promise<PolicyExplanation>;
}

export function createAccessControl(options: AccessControlOptions): AccessControl {
  const { db, model, storages } = options;
  const store = new PolicyStore(model);
  const identities = new CallerIdentities({ db, storages });
  const policies = new AccessPolicies({ store, identities, db, log: { warn: (details, message) => options.log().warn(details, message) } });
  return {
    store,
    identities,
    policies,
    guard: accessGuard(policies),
    install(ctx, metadata) {
      metadata.register(ACCESS_POLICY, { apply: (id, resource) => store.apply(id, resource) });
      metadata.addCheck(ACCESS_POLICY, store.check);
      ctx.hooks.push(identities);
      ctx.operations.register(testPolicyOperation(policies));
    },
    explain: (request, route, caller) => explainAccess(policies, request, route, caller),
  };
}
