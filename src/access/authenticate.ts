/**
 * Authentication of a request (RFC 6750 bearer tokens, RFC 7617 HTTP Basic): the Authorization
 * header becomes a Caller, or a 401 with a WWW-Authenticate challenge. A bearer token is one this
 * server issued (access-token.ts), or one of the configured external OpenID provider
 * (external-tokens.ts). HTTP Basic carries a Client's id and secret, for clients whose
 * grant_types include `basic` (as in Aidbox), for scripts and curl. Every failure gives the same
 * answer, whatever was wrong, and an unknown client costs the same hashing time as a wrong secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Caller, Resource } from '../core/index.js';
import { accessErrors, challenge } from './access-errors.js';
import { verifyAccessToken, type TokenSettings } from './access-token.js';
import { readCredential } from './credentials.js';
import { ExternalTokens, type ExternalProvider } from './external-tokens.js';
import { readActiveClient, readIdentity, registeredScopes, sessionIsLive, type IdentityReader } from './identity-reads.js';
import { hashSecret, verifySecret } from './secret-hash.js';
import { VerifiedTokens } from './verified-tokens.js';
import type { SigningKeys } from './signing-keys.js';

/** The client every database has, with full access (see bootstrap.ts). */
export const ROOT_CLIENT_ID = 'root';

export interface AuthenticatorOptions {
  reader: IdentityReader;
  keys: SigningKeys;
  /** An external OpenID provider whose tokens are accepted too. */
  external?: ExternalProvider;
}

/** The issuer and audience of the tokens a FHIR base URL accepts: its server's /auth, and itself. */
export function tokenSettings(fhirBase: string): TokenSettings {
  return { issuer: `${fhirBase.replace(/\/fhir$/, '')}/auth`, audience: fhirBase };
}

const MAX_REMEMBERED = 1000;

export class Authenticator {
  /** Secrets verified lately, per client: the stored hash and a keyed digest of the secret given. */
  private readonly verified = new Map<string, string>();
  private readonly digestKey = randomBytes(32);
  private dummyHash?: Promise<string>;
  private readonly external?: ExternalTokens;
  private readonly tokens = new VerifiedTokens();

  constructor(private readonly options: AuthenticatorOptions) {
    if (options.external) this.external = new ExternalTokens(options.external, options.reader);
  }

  get keys(): SigningKeys {
    return this.options.keys;
  }

  /** The caller the Authorization header proves to the FHIR base URL; 401 when it is missing or proves nothing. */
  async authenticate(authorization: string | undefined, fhirBase: string): Promise<Caller> {
    if (!authorization) throw accessErrors['access.unauthenticated'](undefined, { headers: challenge() });
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space).toLowerCase();
    const credentials = authorization.slice(space + 1).trim();
    const caller = space < 0 ? undefined
      : scheme === 'bearer' ? await this.bearerCaller(credentials, fhirBase)
        : scheme === 'basic' ? await this.basicCaller(credentials) : undefined;
    if (!caller) throw accessErrors['access.invalid-credentials'](undefined, { headers: challenge(scheme === 'bearer' ? 'invalid_token' : undefined) });
    return caller;
  }

  private async bearerCaller(token: string, fhirBase: string): Promise<Caller | undefined> {
    const cacheKey = `${fhirBase} ${token}`;
    const known = this.tokens.get(cacheKey);
    if (known) return this.withLiveSession(known);
    const verified = this.external?.claims(token)
      ? await this.external.verify(token, fhirBase)
      : await verifyAccessToken(this.options.keys, tokenSettings(fhirBase), token);
    if (verified) this.tokens.remember(cacheKey, verified);
    return verified ? this.withLiveSession(verified.caller) : undefined;
  }

  /** The caller, unless its token belongs to a Session that was revoked or has ended (checked on every request). */
  private async withLiveSession(caller: Caller): Promise<Caller | undefined> {
    if (!caller.sessionId) return caller;
    return sessionIsLive(await readIdentity(this.options.reader, 'Session', caller.sessionId)) ? caller : undefined;
  }

  private async basicCaller(encoded: string): Promise<Caller | undefined> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return undefined;
    const client = await this.verifyClient(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!client || !grantTypes(client).includes('basic')) return undefined;
    return clientCaller(client, 'basic');
  }

  /** The active Client whose id and secret these are, or undefined (the token endpoint uses it too). */
  async verifyClient(clientId: string, secret: string): Promise<Resource | undefined> {
    const client = await readActiveClient(this.options.reader, clientId);
    const stored = client ? await readCredential(this.options.reader.db, 'Client', clientId) : undefined;
    if (!stored) {
      // The same work as a wrong secret, so that the time does not tell whether the client exists.
      await verifySecret(secret, await (this.dummyHash ??= hashSecret(randomBytes(16).toString('hex'))));
      return undefined;
    }
    return (await this.secretMatches(clientId, secret, stored)) ? client : undefined;
  }

  private async secretMatches(clientId: string, secret: string, stored: string): Promise<boolean> {
    const remembered = `${stored}|${createHmac('sha256', this.digestKey).update(secret).digest('base64url')}`;
    if (this.verified.get(clientId) === remembered) return true;
    if (!(await verifySecret(secret, stored))) return false;
    if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    this.verified.set(clientId, remembered);
    return true;
  }
}

export function grantTypes(client: Resource): string[] {
  return Array.isArray(client.grant_types) ? client.grant_types as string[] : [];
}

/** A client acting for itself: its own scopes; the root client is the administrator. */
export function clientCaller(client: Resource, via: Caller['via']): Caller {
  return { kind: 'client', via, clientId: client.id as string, scopes: registeredScopes(client), admin: client.id === ROOT_CLIENT_ID };
}
