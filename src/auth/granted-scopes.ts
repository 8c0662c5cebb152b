/**
 * The scopes a token request is granted (RFC 6749 section 3.3): those it asks for when the client
 * may have each of them (Client.scope), or all the client's scopes when it asks for none. A scope
 * this server does not know, or one the client may not have, refuses the request (invalid_scope)
 * rather than granting less than was asked silently.
 */
import type { Resource } from '../core/index.js';
import { invalidScope } from './oauth-error.js';
import { grantScopes, parseScope, parseScopes, registeredScopes, type SmartScope } from '../access/index.js';

/** The client's registered scopes that parse (one it cannot have is left out rather than breaking every request). */
export function clientScopes(client: Resource): SmartScope[] {
  return registeredScopes(client).flatMap((text) => {
    try {
      return [parseScope(text)];
    } catch {
      return [];
    }
  });
}

/**
 * The texts of the granted scopes. `fits` says which scopes the grant can carry at all (the
 * client_credentials grant: system scopes only).
 */
export function requestedScopes(requested: string | undefined, allowed: readonly SmartScope[], fits: (scope: SmartScope) => boolean): string[] {
  if (requested === undefined) {
    const all = allowed.filter(fits).map((scope) => scope.text);
    if (all.length === 0) throw invalidScope('The client has no scopes it may be granted by this grant');
    return all;
  }
  const scopes = parseScopes(requested);
  if (scopes.length === 0) throw invalidScope('The scope parameter names no scope');
  const unfit = scopes.find((scope) => !fits(scope));
  if (unfit) throw invalidScope(`The scope ${unfit.text} cannot be granted by this grant`);
  const { granted, refused } = grantScopes(scopes, allowed);
  if (refused.length > 0) throw invalidScope(`The client may not be granted ${refused.map((scope) => scope.text).join(' ')}`);
  return granted.map((scope) => scope.text);
}

/** Whether a scope is a system-level resource scope (SMART Backend Services). */
export function isSystemScope(scope: SmartScope): boolean {
  return scope.kind === 'resource' && scope.context === 'system';
}
