/**
 * The authorization code grant's token request (RFC 6749 section 4.1.3, SMART App Launch "Obtain
 * access token"): the code is exchanged once, by the client it was issued to, with the same
 * redirect_uri, and with the PKCE code_verifier of its challenge (RFC 7636 section 4.6; required of
 * public clients). A code that fails any check is spent all the same.
 */
import { grantTypes, readIdentity } from '../access/index.js';
import { consumeAuthorizationCode, type AuthorizationGrant } from './authorization-codes.js';
import { authenticateClient, type ClientAuthMethod } from './client-authentication.js';
import { requiredParameter, type FormParameters } from './form-parameters.js';
import type { GrantRequest } from './grant-request.js';
import { invalidGrant, unauthorizedClient } from './oauth-error.js';
import { verifyPkce } from './pkce.js';
import { userTokenAnswer, type TokenAnswer } from './token-issuance.js';

const SPENT = 'The authorization code is invalid, expired or already used';

/** RFC 7636 section 4.6, and the downgrade rule: a verifier without a challenge is refused too. */
function checkPkce(grant: AuthorizationGrant, form: FormParameters, method: ClientAuthMethod): void {
  const verifier = form.get('code_verifier');
  if (grant.codeChallenge === undefined) {
    if (method === 'none') throw invalidGrant('A public client must use PKCE (code_challenge with S256)');
    if (verifier !== undefined) throw invalidGrant('A code_verifier was sent for a code issued without code_challenge');
    return;
  }
  if (verifier === undefined) throw invalidGrant('The code_verifier is required (the authorization request had a code_challenge)');
  if (!verifyPkce(verifier, grant.codeChallenge)) throw invalidGrant('The code_verifier does not match the code_challenge');
}

export async function authorizationCodeGrant({ deps, urls, request, form }: GrantRequest): Promise<TokenAnswer> {
  const { client, clientId, method } = await authenticateClient(deps, request, form, urls.token, true);
  if (!grantTypes(client).includes('authorization_code')) throw unauthorizedClient('The client may not use the authorization_code grant');
  const code = requiredParameter(form, 'code');
  const redirectUri = requiredParameter(form, 'redirect_uri');
  const grant = await consumeAuthorizationCode(deps.ctx.db, code);
  if (!grant || grant.clientId !== clientId) throw invalidGrant(SPENT);
  if (grant.redirectUri !== redirectUri) throw invalidGrant('The redirect_uri is not the one of the authorization request');
  checkPkce(grant, form, method);
  const user = await readIdentity(deps.ctx, 'User', grant.userId);
  if (!user || user.inactive === true) throw invalidGrant(SPENT);
  return userTokenAnswer(deps, urls, client, {
    userId: grant.userId, fhirUser: grant.fhirUser, scopes: grant.scopes, launch: grant.launch, admin: grant.admin, nonce: grant.nonce,
  });
}
