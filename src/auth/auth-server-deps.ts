/**
 * What the authorization server's endpoints need from the rest of the server, and the URLs they
 * serve at. The issuer is <origin>/auth (the access tokens' iss, access/access-token.ts), the FHIR
 * base URL is the tokens' audience, and the token endpoint's URL is what a client assertion's aud
 * must name.
 */
import type { FastifyRequest } from 'fastify';
import { tokenSettings, type Authenticator, type SigningKeys } from '../access/index.js';
import type { EngineContext } from '../engine/index.js';
import type { DatabaseReplayStore } from './database-replay-store.js';

export interface AuthServerDeps {
  /** The engine: the identity resources are read and Sessions written through it. */
  ctx: EngineContext;
  /** Verifies client secrets (the same check as HTTP Basic on the FHIR API). */
  authenticator: Authenticator;
  /** The keys that sign access tokens and id_tokens. */
  keys: SigningKeys;
  /** The default access token lifetime (FLINT_ACCESS_TOKEN_SECONDS); a Client may set its own. */
  accessTokenSeconds: number;
  /** The FHIR base URL of a request (the configured one, or the request's origin + /fhir). */
  fhirBase?: (request: FastifyRequest) => string;
  /** The memory of used client assertion jtis; the database's by default. */
  replay?: DatabaseReplayStore;
}

export interface AuthServerUrls {
  /** The FHIR base URL: the audience of access tokens. */
  fhirBase: string;
  origin: string;
  issuer: string;
  authorize: string;
  token: string;
  introspect: string;
  revoke: string;
  jwks: string;
  userinfo: string;
}

/** The URLs of the authorization server that serves a FHIR base URL. */
export function authServerUrls(fhirBase: string): AuthServerUrls {
  const { issuer } = tokenSettings(fhirBase);
  const origin = issuer.replace(/\/auth$/, '');
  return {
    fhirBase, origin, issuer,
    authorize: `${issuer}/authorize`, token: `${issuer}/token`, introspect: `${issuer}/introspect`,
    revoke: `${issuer}/revoke`, jwks: `${issuer}/jwks`, userinfo: `${issuer}/userinfo`,
  };
}

/** The FHIR base URL of a request: the configured one, else the request's own origin and /fhir. */
export function requestFhirBase(deps: AuthServerDeps, request: FastifyRequest): string {
  return deps.fhirBase ? deps.fhirBase(request) : `${request.protocol}://${request.host}/fhir`;
}
