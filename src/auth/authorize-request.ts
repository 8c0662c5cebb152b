/**
 * The checks of an authorization request (RFC 6749 section 4.1.1, OpenID Connect Core 3.1.2.1,
 * SMART App Launch 2.x), in the order RFC 6749 section 4.1.2.1 gives: a missing or unknown client
 * and a redirect URI that is not the client's registered one are told to the user on a page (never
 * redirected, so the server is no open redirector); every later error goes back to the client's
 * redirect URI with error, error_description and state.
 */
import type { LaunchContext, Resource } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { grantTypes, readActiveClient, readCredential, type IdentityReader } from '../access/index.js';
import { checkCodeChallenge } from './pkce.js';
import { formatScope, grantScopes, parseScopes, type SmartScope } from '../access/index.js';
import { clientScopes } from './granted-scopes.js';
import { readLaunchContext } from './launch-contexts.js';

/** What the sign-in and consent pages carry forward: the request as checked. */
export interface CheckedAuthorization {
  clientId: string;
  clientName: string;
  redirectUri: string;
  state?: string;
  /** The scopes the client may have of those it asked for. */
  scopes: string[];
  codeChallenge?: string;
  nonce?: string;
  /** The EHR launch context (launch parameter). */
  launch?: LaunchContext;
  /** OpenID Connect prompt values (none, login, consent), space separated. */
  prompt?: string;
}

export type AuthorizeCheck =
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; redirectUri: string; state?: string; error: string; description: string }
  | { kind: 'ok'; authorization: CheckedAuthorization };

export interface AuthorizeCheckDeps {
  reader: IdentityReader;
  db: Queryable;
}

class Refusal extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

/** The parameters of the query, each once (RFC 6749 section 3.1: a parameter must not repeat). */
export function authorizeParams(url: string): Map<string, string> | string {
  const question = url.indexOf('?');
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(question < 0 ? '' : url.slice(question + 1))) {
    if (params.has(name)) return name;
    if (value !== '') params.set(name, value);
  }
  return params;
}

export function registeredRedirectUri(client: Resource): string | undefined {
  const auth = client.auth as { authorization_code?: { redirect_uri?: unknown } } | undefined;
  const uri = auth?.authorization_code?.redirect_uri;
  return typeof uri === 'string' ? uri : undefined;
}

function requiresPkce(client: Resource, secretHash: string | undefined): boolean {
  const auth = client.auth as { authorization_code?: { pkce?: unknown } } | undefined;
  return secretHash === undefined || auth?.authorization_code?.pkce === true;
}

function requestedScopes(params: Map<string, string>, client: Resource): string[] {
  const text = params.get('scope');
  if (!text) throw new Refusal('invalid_scope', 'The scope parameter is required');
  let requested: SmartScope[];
  try {
    requested = parseScopes(text);
  } catch (error) {
    throw new Refusal('invalid_scope', (error as Error).message);
  }
  const { granted } = grantScopes(requested, clientScopes(client));
  if (granted.length === 0) throw new Refusal('invalid_scope', 'None of the requested scopes is allowed for this client');
  return granted.map(formatScope);
}

function checkPkce(params: Map<string, string>, required: boolean): string | undefined {
  const challenge = params.get('code_challenge');
  if (!required && challenge === undefined && !params.has('code_challenge_method')) return undefined;
  try {
    checkCodeChallenge(challenge, params.get('code_challenge_method'));
  } catch (error) {
    throw new Refusal('invalid_request', (error as Error).message);
  }
  return challenge;
}

async function launchContext(deps: AuthorizeCheckDeps, params: Map<string, string>, clientId: string, scopes: string[]): Promise<LaunchContext | undefined> {
  if (!scopes.includes('launch')) return undefined;
  const launch = params.get('launch');
  if (!launch) throw new Refusal('invalid_request', 'The launch scope needs the launch parameter of an EHR launch');
  const context = await readLaunchContext(deps.db, launch, clientId);
  if (!context) throw new Refusal('invalid_request', 'The launch parameter is unknown, expired or issued for another client');
  return context;
}

/** The checks after the client and its redirect URI are known (RFC 6749 section 4.1.2.1 errors). */
async function checkRequest(deps: AuthorizeCheckDeps, params: Map<string, string>, client: Resource, fhirBase: string): Promise<Omit<CheckedAuthorization, 'clientName' | 'redirectUri' | 'state'>> {
  if (params.get('response_type') !== 'code') throw new Refusal('unsupported_response_type', 'The response_type must be code');
  if (!grantTypes(client).includes('authorization_code')) throw new Refusal('unauthorized_client', 'The client may not use the authorization code grant');
  const scopes = requestedScopes(params, client);
  const aud = params.get('aud');
  if (aud === undefined || aud.replace(/\/+$/, '') !== fhirBase.replace(/\/+$/, '')) {
    throw new Refusal('invalid_request', `The aud parameter must be this server's FHIR base URL, ${fhirBase}`);
  }
  const codeChallenge = checkPkce(params, requiresPkce(client, await readCredential(deps.db, 'Client', client.id as string)));
  const launch = await launchContext(deps, params, client.id as string, scopes);
  return { clientId: client.id as string, scopes, codeChallenge, nonce: params.get('nonce'), launch, prompt: params.get('prompt') };
}

/** Checks an authorization request (RFC 6749 section 4.1.1 and 4.1.2.1, SMART App Launch 2.x). */
export async function checkAuthorizeRequest(deps: AuthorizeCheckDeps, url: string, fhirBase: string): Promise<AuthorizeCheck> {
  const params = authorizeParams(url);
  if (typeof params === 'string') return { kind: 'page', message: `The parameter ${params} is given more than once` };
  const clientId = params.get('client_id');
  const client = clientId ? await readActiveClient(deps.reader, clientId) : undefined;
  if (!client) return { kind: 'page', message: 'The application (client_id) is unknown or inactive' };
  const registered = registeredRedirectUri(client);
  // SMART App Launch requires redirect_uri, so the token request can always be held to the same one.
  const redirectUri = params.get('redirect_uri');
  if (!registered || redirectUri !== registered) return { kind: 'page', message: 'The redirect_uri is missing or not the one registered for this application' };
  const state = params.get('state');
  try {
    const checked = await checkRequest(deps, params, client, fhirBase);
    const clientName = typeof client.name === 'string' ? client.name : client.id as string;
    return { kind: 'ok', authorization: { ...checked, clientName, redirectUri, state } };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { kind: 'redirect', redirectUri, state, error: error.error, description: error.description };
  }
}

/** The redirect URI with the answer's parameters added (RFC 6749 sections 4.1.2 and 4.1.2.1). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}
