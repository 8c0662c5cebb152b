/**
 * access: who is calling. The identity resource types (User, Client, Session, Role), their secrets
 * kept hashed outside the resources, the keys that sign this server's tokens, the authentication of
 * each request (bearer token or HTTP Basic) into a Caller, the bootstrap of the root client and the
 * administrator, the guard of the administrative endpoints, and SMART scopes (parse, format, grant,
 * permit), which the authorization server grants and access rules on data are to enforce.
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
