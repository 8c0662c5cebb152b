/**
 * Authorization codes (RFC 6749 section 4.1): the authorize endpoint, once the user has signed in
 * and consented, stores what the code grants and sends the code to the client's redirect URI; the
 * token endpoint exchanges it, once, within its lifetime, for tokens. Only the code's SHA-256 is
 * stored (the code itself is 256 random bits), so the table gives nothing away.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LaunchContext } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';

/** What a code grants, as the authorize endpoint decided it. */
export interface AuthorizationGrant {
  clientId: string;
  userId: string;
  fhirUser?: string;
  /** The scopes granted (what the user consented to, within what the client may have). */
  scopes: string[];
  launch?: LaunchContext;
  /** The redirect_uri of the authorize request: the token request must name the same. */
  redirectUri: string;
  /** PKCE (RFC 7636): the S256 challenge of the authorize request. */
  codeChallenge?: string;
  /** OpenID Connect: the nonce to put into the id_token. */
  nonce?: string;
  /** The user is an administrator. */
  admin: boolean;
}

export const AUTHORIZATION_CODE_SECONDS = 60;

function codeHash(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}

/** A new code for the grant, valid for `lifetimeSeconds`. */
export async function createAuthorizationCode(db: Queryable, grant: AuthorizationGrant, lifetimeSeconds = AUTHORIZATION_CODE_SECONDS): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await db.query(sql`INSERT INTO flint_authorization_code (code_hash, grant_data, expires_at)
    VALUES (${codeHash(code)}, ${JSON.stringify(grant)}::jsonb, now() + make_interval(secs => ${lifetimeSeconds}))`);
  return code;
}

/** The grant of a code, once: the code is deleted whether or not it is still valid; undefined when unknown or expired. */
export async function consumeAuthorizationCode(db: Queryable, code: string): Promise<AuthorizationGrant | undefined> {
  const { rows } = await db.query<{ grant_data: AuthorizationGrant; valid: boolean }>(
    sql`DELETE FROM flint_authorization_code WHERE code_hash = ${codeHash(code)} RETURNING grant_data, expires_at > now() AS valid`,
  );
  return rows[0]?.valid ? rows[0].grant_data : undefined;
}
