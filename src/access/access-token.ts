/**
 * The access tokens this server issues: signed JWTs (RFC 9068's profile, RS256) carrying who the
 * caller is, the client, the granted scopes and the SMART launch context, valid for a short time.
 * Verification needs no database: the signature, the issuer, the audience (the FHIR base URL) and
 * the expiry, with a minute of clock skew.
 */
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Caller, LaunchContext } from '../core/index.js';
import { SIGNING_ALGORITHM, type SigningKeys } from './signing-keys.js';
import type { VerifiedToken } from './verified-tokens.js';

/** What a token says, beyond the registered claims: the caller it makes, always with a client. */
export type TokenGrant = Pick<Caller, 'userId' | 'fhirUser' | 'scopes' | 'admin' | 'launch' | 'sessionId'> & { clientId: string };

export interface TokenSettings {
  /** The issuer: the authorization server's URL (…/auth). */
  issuer: string;
  /** The audience: the FHIR base URL. */
  audience: string;
}

interface FlintClaims extends JWTPayload {
  client_id?: string;
  scope?: string;
  fhirUser?: string;
  patient?: string;
  encounter?: string;
  sid?: string;
  flint_admin?: boolean;
}

/** A signed access token for the grant, valid for `lifetimeSeconds`. */
export async function issueAccessToken(keys: SigningKeys, settings: TokenSettings, grant: TokenGrant, lifetimeSeconds: number): Promise<string> {
  const claims: FlintClaims = {
    client_id: grant.clientId,
    scope: grant.scopes.join(' '),
    ...(grant.fhirUser ? { fhirUser: grant.fhirUser } : {}),
    ...(grant.launch?.patient ? { patient: grant.launch.patient } : {}),
    ...(grant.launch?.encounter ? { encounter: grant.launch.encounter } : {}),
    ...(grant.sessionId ? { sid: grant.sessionId } : {}),
    ...(grant.admin ? { flint_admin: true } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.current.kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer).setAudience(settings.audience).setSubject(grant.userId ?? grant.clientId)
    .setIssuedAt().setExpirationTime(`${lifetimeSeconds}s`).setJti(randomUUID())
    .sign(keys.current.privateKey);
}

function callerOf(claims: FlintClaims): Caller {
  const clientId = claims.client_id as string;
  const userId = claims.sub !== clientId ? claims.sub : undefined;
  const launch: LaunchContext = { ...(claims.patient ? { patient: claims.patient } : {}), ...(claims.encounter ? { encounter: claims.encounter } : {}) };
  return {
    kind: userId ? 'user' : 'client', via: 'bearer', clientId, userId,
    ...(claims.fhirUser ? { fhirUser: claims.fhirUser } : {}),
    scopes: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
    admin: claims.flint_admin === true,
    ...(Object.keys(launch).length > 0 ? { launch } : {}),
    ...(claims.sid ? { sessionId: claims.sid } : {}),
  };
}

/** The caller a token names and its expiry, or undefined when it is not a valid token of this server. */
export async function verifyAccessToken(keys: SigningKeys, settings: TokenSettings, token: string): Promise<VerifiedToken | undefined> {
  try {
    const { payload } = await jwtVerify<FlintClaims>(token, keys.keySet, {
      issuer: settings.issuer, audience: settings.audience, algorithms: [SIGNING_ALGORITHM], clockTolerance: 60, typ: 'at+jwt',
    });
    if (typeof payload.client_id !== 'string' || typeof payload.exp !== 'number') return undefined;
    return { caller: callerOf(payload), expiresAt: payload.exp * 1000 };
  } catch {
    return undefined;
  }
}
