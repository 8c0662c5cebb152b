/**
 * access: who is calling. The identity resource types (User, Client, Session, Role), their secrets
 * kept hashed outside the resources, the keys that sign this server's tokens, the authentication of
 * each request (bearer token or HTTP Basic) into a Caller, the bootstrap of the root client and the
 * administrator, SMART scopes (parse, format, grant, permit), and what callers may do: AccessPolicy
 * resources (live on every process, compiled per version), the request object they see, their
 * engines, the decision and the rows it grants (with the SMART scopes' rows), the guard the engine
 * runs on every request and Bundle entry, and $test-policy (docs/access-control.md).
 */
export * from './access-errors.js';
export * from './access-policy-type.js';
export * from './access-token.js';
export * from './admin-guard.js';
export * from './authenticate.js';
export * from './bootstrap.js';
export * from './credentials.js';
export * from './identity-reads.js';
export * from './identity-types.js';
export * from './secret-hash.js';
export * from './signing-keys.js';
export * from './smart-scopes.js';
export * from './external-tokens.js';
export * from './verified-tokens.js';
export * from './access-control.js';
export * from './access-guard.js';
export * from './caller-identities.js';
export * from './matcho.js';
export * from './operation-ids.js';
export * from './policy-decision.js';
export * from './policy-engines.js';
export * from './policy-explanation.js';
export * from './policy-rows.js';
export * from './policy-store.js';
export * from './request-object.js';
export * from './scope-rules.js';
export * from './test-policy.js';
