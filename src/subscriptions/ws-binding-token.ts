/**
 * The binding tokens of the websocket channel (https://hl7.org/fhir/uv/subscriptions-backport/channels.html#websockets):
 * short-lived JWTs signed with the server's signing keys (access/signing-keys.ts), so that any
 * server process can check one without the database. A token names the Subscription ids it binds
 * and the caller it was issued to; its own `typ` and audience keep it from passing for an access
 * token and an access token from passing for it. The issuer and audience do not name the base URL,
 * so that processes behind one load balancer, whatever their own port, accept each other's tokens.
 */
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { SIGNING_ALGORITHM, type SigningKeys } from '../access/index.js';

const TOKEN_TYPE = 'flint-ws-binding+jwt';

/** How long a binding token is good for, unless told otherwise. */
export const BINDING_TOKEN_SECONDS = 300;

export interface BindingGrant {
  /** The Subscription ids the token binds. */
  subscriptions: string[];
  /** Who asked for it (a user id, else a client id; "anonymous" with authentication off). */
  caller: string;
}

export interface BindingToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface BindingTokenSettings {
  /** BINDING_TOKEN_SECONDS when absent. */
  lifetimeSeconds?: number;
}

const ISSUER = 'urn:flint';
const AUDIENCE = 'urn:flint:subscription-ws';

interface BindingClaims extends JWTPayload {
  subscriptions?: unknown;
}

/** A signed token binding the Subscriptions for the caller. */
export async function issueBindingToken(keys: SigningKeys, settings: BindingTokenSettings, grant: BindingGrant): Promise<BindingToken> {
  const lifetime = settings.lifetimeSeconds ?? BINDING_TOKEN_SECONDS;
  const expiresAt = (Math.floor(Date.now() / 1000) + lifetime) * 1000;
  const token = await new SignJWT({ subscriptions: grant.subscriptions })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.current.kid, typ: TOKEN_TYPE })
    .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject(grant.caller)
    .setIssuedAt().setExpirationTime(expiresAt / 1000).setJti(randomUUID())
    .sign(keys.current.privateKey);
  return { token, expiresAt };
}

/** What a valid token grants, or undefined when it is not one of this server's (or has expired). */
export async function verifyBindingToken(keys: SigningKeys, token: string): Promise<(BindingGrant & { expiresAt: number }) | undefined> {
  try {
    const { payload } = await jwtVerify<BindingClaims>(token, keys.keySet, {
      issuer: ISSUER, audience: AUDIENCE, algorithms: [SIGNING_ALGORITHM], typ: TOKEN_TYPE,
    });
    const { subscriptions } = payload;
    if (!Array.isArray(subscriptions) || !subscriptions.every((id) => typeof id === 'string') || typeof payload.exp !== 'number') return undefined;
    return { subscriptions: subscriptions as string[], caller: String(payload.sub), expiresAt: payload.exp * 1000 };
  } catch {
    return undefined;
  }
}
