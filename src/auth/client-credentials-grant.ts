/**
 * The client credentials grant (RFC 6749 section 4.4; SMART Backend Services,
 * https://hl7.org/fhir/smart-app-launch/backend-services.html): a client authenticated by its secret
 * or a signed assertion gets an access token for itself, with system scopes only. No refresh token
 * is issued (section 4.4.3): the client asks again.
 */
import { grantTypes, ROOT_CLIENT_ID } from '../access/index.js';
import { authenticateClient } from './client-authentication.js';
import type { GrantRequest } from './grant-request.js';
import { clientScopes, isSystemScope, requestedScopes } from './granted-scopes.js';
import { unauthorizedClient } from './oauth-error.js';
import { accessTokenAnswer, accessTokenLifetime, type TokenAnswer } from './token-issuance.js';

export async function clientCredentialsGrant({ deps, urls, request, form }: GrantRequest): Promise<TokenAnswer> {
  const { client, clientId } = await authenticateClient(deps, request, form, urls.token);
  if (!grantTypes(client).includes('client_credentials')) throw unauthorizedClient('The client may not use the client_credentials grant');
  const scopes = requestedScopes(form.get('scope'), clientScopes(client), isSystemScope);
  const lifetime = accessTokenLifetime(deps, client, 'client_credentials');
  return accessTokenAnswer(deps, urls, { clientId, scopes, admin: clientId === ROOT_CLIENT_ID }, lifetime);
}
