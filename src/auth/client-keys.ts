/**
 * The public keys a client registered to sign its client assertions (SMART asymmetric client
 * authentication, https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html): a JWK
 * Set given inline (`jwks`) or published at a URL (`jwks_uri`), as a jose key getter. A failure to
 * read them is the client's failure to authenticate (auth.invalid-client).
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { refused } from './client-refusals.js';

/** Finds the key that verifies an assertion from its header (kid, alg). */
export type ClientKeys = JWTVerifyGetKey;

/** The registration fields that carry a client's keys (RFC 7591 section 2). */
export interface ClientKeySource {
  jwks?: object;
  jwks_uri?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Errors of a key look-up that say something about the key set rather than about its transport. */
const KEY_SET_ERRORS = new Set([
  errors.JWKSNoMatchingKey.code, errors.JWKSMultipleMatchingKeys.code, errors.JWKSInvalid.code, errors.JWKInvalid.code,
]);

function localKeys(jwks: object): ClientKeys {
  try {
    return createLocalJWKSet(jwks as JSONWebKeySet);
  } catch {
    throw refused('bad-keys');
  }
}

/** The URL of a jwks_uri: https, or http on a loopback host (a developer's machine). */
function keySetUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const allowed = url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!url || !allowed) throw refused('bad-key-url');
  return url;
}

/** The getters over the jwks_uris seen, by URL: each keeps jose's cache of the fetched set. */
const remoteGetters = new Map<string, ClientKeys>();
const MAX_REMOTE_GETTERS = 1000;

/**
 * A getter over a jwks_uri. jose caches the fetched set and refetches it for an unknown kid (with
 * a cool-down), so the getter is made once per URL and kept (the token endpoint asks for it on every
 * request). A failure to fetch it is refused here; what the set says (no key for the kid, a
 * malformed set) is left to the verification.
 */
function remoteKeys(text: string): ClientKeys {
  const known = remoteGetters.get(text);
  if (known) return known;
  const getter = newRemoteKeys(text);
  if (remoteGetters.size >= MAX_REMOTE_GETTERS) remoteGetters.clear();
  remoteGetters.set(text, getter);
  return getter;
}

function newRemoteKeys(text: string): ClientKeys {
  const remote = createRemoteJWKSet(keySetUrl(text));
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError && KEY_SET_ERRORS.has(error.code)) throw error;
      throw refused('keys-unavailable');
    }
  };
}

/** The key getter of a client: its inline jwks when it has one, else its jwks_uri. */
export function clientKeySet(client: ClientKeySource): ClientKeys {
  if (client.jwks !== undefined) return localKeys(client.jwks);
  if (client.jwks_uri !== undefined) return remoteKeys(client.jwks_uri);
  throw refused('no-keys');
}
