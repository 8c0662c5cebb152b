/**
 * The OpenID Connect id_token (OpenID Connect Core 1.0 section 2, SMART App Launch "Scopes for
 * requesting identity data"): issued with the access token when `openid` was granted, signed with
 * the server's keys (RS256), naming the user (sub), the client (aud), the request's nonce, and, when
 * `fhirUser` was granted, the user's FHIR resource as an absolute URL.
 */
import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKeys } from '../access/index.js';

export interface IdTokenClaims {
  issuer: string;
  userId: string;
  clientId: string;
  nonce?: string;
  /** The absolute URL of the user's FHIR resource, when fhirUser was granted. */
  fhirUser?: string;
}

/** The fhirUser claim: a relative reference made absolute against the FHIR base URL. */
export function absoluteFhirUser(fhirUser: string, fhirBase: string): string {
  return /^https?:\/\//.test(fhirUser) ? fhirUser : `${fhirBase}/${fhirUser}`;
}

/** A signed id_token valid for `lifetimeSeconds`. */
export async function issueIdToken(keys: SigningKeys, claims: IdTokenClaims, lifetimeSeconds: number): Promise<string> {
  return new SignJWT({
    ...(claims.nonce ? { nonce: claims.nonce } : {}),
    ...(claims.fhirUser ? { fhirUser: claims.fhirUser } : {}),
    azp: claims.clientId,
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.current.kid, typ: 'JWT' })
    .setIssuer(claims.issuer).setSubject(claims.userId).setAudience(claims.clientId)
    .setIssuedAt().setExpirationTime(`${lifetimeSeconds}s`)
    .sign(keys.current.privateKey);
}
