/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 section
 * 2.3): client_secret_basic (HTTP Basic, section 2.3.1), client_secret_post (client_id and
 * client_secret in the body), private_key_jwt (RFC 7523 section 2.2, SMART asymmetric client
 * authentication), and none for a public client (a client with no secret and no keys, which only
 * names itself with client_id). One method per request; every failure is invalid_client with the
 * same answer, whether the client is unknown, inactive or its secret wrong.
 */
import type { FastifyRequest } from 'fastify';
import { readActiveClient, readCredential } from '../access/index.js';
import type { Resource } from '../core/index.js';
import type { AuthServerDeps } from './auth-server-deps.js';
import { CLIENT_ASSERTION_TYPE, unverifiedAssertionIssuer, verifyClientAssertion } from './client-assertion.js';
import { clientKeySet } from './client-keys.js';
import { DatabaseReplayStore } from './database-replay-store.js';
import type { FormParameters } from './form-parameters.js';
import { invalidClient, invalidRequest } from './oauth-error.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export interface AuthenticatedClient {
  client: Resource;
  clientId: string;
  method: ClientAuthMethod;
}

interface BasicCredentials { clientId: string; secret: string }

/** RFC 6749 section 2.3.1: the id and secret are form-urlencoded, then joined by ":" and base64 encoded. */
function basicCredentials(authorization: string | undefined): BasicCredentials | undefined {
  if (!authorization || !/^basic /i.test(authorization)) return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw invalidClient();
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    throw invalidClient();
  }
}

async function bySecret(deps: AuthServerDeps, clientId: string, secret: string, method: ClientAuthMethod): Promise<AuthenticatedClient> {
  const client = await deps.authenticator.verifyClient(clientId, secret);
  if (!client) throw invalidClient();
  return { client, clientId, method };
}

async function activeClient(deps: AuthServerDeps, clientId: string): Promise<Resource> {
  const client = await readActiveClient(deps.ctx, clientId);
  if (!client) throw invalidClient();
  return client;
}

/** private_key_jwt: the assertion verified with the client's registered keys, its jti remembered. */
async function byAssertion(deps: AuthServerDeps, form: FormParameters, tokenUrl: string): Promise<AuthenticatedClient> {
  if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) throw invalidClient('The client_assertion_type is not supported');
  const assertion = form.get('client_assertion');
  if (assertion === undefined) throw invalidRequest('The parameter client_assertion is required');
  const clientId = form.get('client_id') ?? unverifiedAssertionIssuer(assertion);
  if (clientId === undefined) throw invalidClient();
  const client = await activeClient(deps, clientId);
  const replay = (deps.replay ?? new DatabaseReplayStore(deps.ctx.db)).forClient(clientId);
  await verifyClientAssertion(assertion, { clientId, tokenUrl, keys: clientKeySet(client as never), replay });
  return { client, clientId, method: 'private_key_jwt' };
}

/** A public client: no secret stored and no keys registered. */
async function publicClient(deps: AuthServerDeps, clientId: string): Promise<AuthenticatedClient> {
  const client = await activeClient(deps, clientId);
  const hasKeys = client.jwks !== undefined || client.jwks_uri !== undefined;
  if (hasKeys || (await readCredential(deps.ctx.db, 'Client', clientId)) !== undefined) throw invalidClient();
  return { client, clientId, method: 'none' };
}

/**
 * The client a request authenticates as. `allowPublic` admits a public client naming itself with
 * client_id (the authorization code grant); elsewhere a client must prove who it is.
 */
export async function authenticateClient(
  deps: AuthServerDeps, request: FastifyRequest, form: FormParameters, tokenUrl: string, allowPublic = false,
): Promise<AuthenticatedClient> {
  const basic = basicCredentials(request.headers.authorization);
  const methods = [basic !== undefined, form.has('client_secret'), form.has('client_assertion') || form.has('client_assertion_type')];
  if (methods.filter(Boolean).length > 1) throw invalidRequest('Use one client authentication method only');
  const namedId = form.get('client_id');
  if (basic) {
    if (namedId !== undefined && namedId !== basic.clientId) throw invalidClient();
    return bySecret(deps, basic.clientId, basic.secret, 'client_secret_basic');
  }
  if (methods[2]) return byAssertion(deps, form, tokenUrl);
  if (namedId === undefined) throw invalidClient('The client must authenticate (HTTP Basic, client_secret or client_assertion)');
  if (methods[1]) return bySecret(deps, namedId, form.get('client_secret') as string, 'client_secret_post');
  if (!allowPublic) throw invalidClient();
  return publicClient(deps, namedId);
}
