/**
 * The token endpoint, POST /auth/token (RFC 6749 section 3.2): a form-encoded request names its
 * grant_type, and the grant answers with tokens; an unknown grant type is unsupported_grant_type.
 */
import type { GrantRequest } from './grant-request.js';
import { authorizationCodeGrant } from './authorization-code-grant.js';
import { clientCredentialsGrant } from './client-credentials-grant.js';
import { requiredParameter } from './form-parameters.js';
import { OAuthError } from './oauth-error.js';
import { refreshTokenGrant } from './refresh-token-grant.js';
import type { TokenAnswer } from './token-issuance.js';

const GRANTS: ReadonlyMap<string, (grant: GrantRequest) => Promise<TokenAnswer>> = new Map([
  ['client_credentials', clientCredentialsGrant],
  ['authorization_code', authorizationCodeGrant],
  ['refresh_token', refreshTokenGrant],
]);

/** The grant types this server supports (the metadata's grant_types_supported). */
export const GRANT_TYPES_SUPPORTED = [...GRANTS.keys()];

export async function tokenRequest(grant: GrantRequest): Promise<TokenAnswer> {
  const grantType = requiredParameter(grant.form, 'grant_type');
  const run = GRANTS.get(grantType);
  if (!run) throw new OAuthError('unsupported_grant_type', 'The grant_type is not supported');
  return run(grant);
}
