/**
 * Bearer tokens from an external OpenID provider (Keycloak, Auth0, Entra ID, ...), when the operator
 * configures one: the token must be a JWT signed by a key of the provider's JWKS (fetched from the
 * configured URL and cached by jose), from the configured issuer, for the configured audience, and
 * not expired. A claim of the token names the User it acts as (by id, or by User.email); the user must
 * exist and be active. Scopes come from the token's `scope` (space-separated) or `scp` (array) claim.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Caller } from '../core/index.js';
import { ident, sql } from '../sql/index.js';
import { hasAdminRole, readIdentity, type IdentityReader } from './identity-reads.js';
import type { VerifiedToken } from './verified-tokens.js';

export interface ExternalProvider {
  issuer: string;
  jwksUrl: string;
  /** The audience the tokens must name; the FHIR base URL when absent. */
  audience?: string;
  /** The claim that names the user; `sub` (a User id) by default, `email` matches User.email. */
  userClaim: string;
}

/** The issuer a token claims, without checking anything (to pick the verifier); undefined when it is not a JWT. */
export function claimedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean);
  return Array.isArray(payload.scp) ? payload.scp.filter((scope): scope is string => typeof scope === 'string') : [];
}

async function userIdByEmail(reader: IdentityReader, email: string): Promise<string | undefined> {
  const storage = reader.storages.storageFor('User');
  if (!storage) return undefined;
  const { rows } = await reader.db.query<{ id: string }>(sql`SELECT id FROM ${ident(storage.table)} WHERE resource->>'email' = ${email} LIMIT 2`);
  return rows.length === 1 ? rows[0].id : undefined;
}

export class ExternalTokens {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly provider: ExternalProvider, private readonly reader: IdentityReader) {
    this.keys = createRemoteJWKSet(new URL(provider.jwksUrl));
  }

  /** Whether the token claims to come from this provider. */
  claims(token: string): boolean {
    return claimedIssuer(token) === this.provider.issuer;
  }

  /** The caller of a valid token of the provider and its expiry, or undefined. */
  async verify(token: string, fhirBase: string): Promise<VerifiedToken | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.provider.issuer, audience: this.provider.audience ?? fhirBase, clockTolerance: 60 }));
    } catch {
      return undefined;
    }
    const claim = payload[this.provider.userClaim];
    if (typeof claim !== 'string' || typeof payload.exp !== 'number') return undefined;
    const caller = await this.userCaller(claim, payload);
    return caller ? { caller, expiresAt: payload.exp * 1000 } : undefined;
  }

  private async userCaller(claim: string, payload: JWTPayload): Promise<Caller | undefined> {
    const userId = this.provider.userClaim === 'email' ? await userIdByEmail(this.reader, claim) : claim;
    const user = userId ? await readIdentity(this.reader, 'User', userId) : undefined;
    if (!userId || !user || user.inactive === true) return undefined;
    const fhirUser = (user.fhirUser as { reference?: string } | undefined)?.reference;
    const clientId = typeof payload.azp === 'string' ? payload.azp : typeof payload.client_id === 'string' ? payload.client_id : undefined;
    return {
      kind: 'user', via: 'bearer', userId, clientId, scopes: scopesOf(payload),
      admin: await hasAdminRole(this.reader, userId), ...(fhirUser ? { fhirUser } : {}),
    };
  }
}
