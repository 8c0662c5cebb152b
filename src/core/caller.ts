/**
 * Who makes a request: the plain object the access module hands to the engine once it has
 * authenticated the request (docs/security.md). It is data only, so every module below access can
 * read it, and the access rules of the next layer can decide on it.
 */

/** The context a SMART launch granted (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html). */
export interface LaunchContext {
  /** The id of the Patient in context. */
  patient?: string;
  /** The id of the Encounter in context. */
  encounter?: string;
}

export interface Caller {
  /** A client acting for itself (client credentials, HTTP Basic), a user through a client, or nobody (auth off). */
  kind: 'client' | 'user' | 'anonymous';
  /** How the request proved it: HTTP Basic, a bearer token, or not at all (FLINT_AUTH=off). */
  via: 'basic' | 'bearer' | 'auth-off';
  clientId?: string;
  userId?: string;
  /** The user's FHIR identity: Patient/123, Practitioner/7, ... */
  fhirUser?: string;
  /** The scopes granted (a bearer token's); a client authenticated with HTTP Basic has its own. */
  scopes: readonly string[];
  /** The root client or an administrator: full access, and the administrative endpoints. */
  admin: boolean;
  launch?: LaunchContext;
  /** The Session the token belongs to. */
  sessionId?: string;
}

/** The caller when authentication is off: anyone, with full access (local development only). */
export const ANONYMOUS_CALLER: Caller = Object.freeze({ kind: 'anonymous', via: 'auth-off', scopes: [], admin: true });
