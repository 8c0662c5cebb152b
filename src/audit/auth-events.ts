/**
 * The audit events of the authorization server (DICOM 110114 User Authentication): a sign-in on
 * the sign-in page (subtype 110122 Login, success or failure), an access token issued (subtype
 * ITI-71 Get Access Token, BALP's IHE.IUA.71 profile), and a revocation that ends a session
 * (subtype 110123 Logout). Pure builders, queued by the caller through the engine's audit.
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from '../core/index.js';
import { clientAgent, eventSource, serverAgent, userAgent } from './audit-agents.js';
import {
  ENTITY_SYSTEM_OBJECT, EVENT_TYPE_USER_AUTHENTICATION, ROLE_DOMAIN_RESOURCE, SUBTYPE_GET_ACCESS_TOKEN, SUBTYPE_LOGIN,
  SUBTYPE_LOGOUT, TOKEN_PROFILE, type Coding,
} from './audit-codes.js';

interface AuthEventParts {
  subtype: Coding;
  success: boolean;
  failure?: string;
  agent: Record<string, unknown>[];
  baseUrl: string;
  entity?: Record<string, unknown>[];
  profile?: string;
}

function authEvent(parts: AuthEventParts): Resource {
  return {
    resourceType: 'AuditEvent', id: randomUUID(),
    ...(parts.profile && parts.success ? { meta: { profile: [parts.profile] } } : {}),
    type: EVENT_TYPE_USER_AUTHENTICATION, subtype: [parts.subtype], action: 'E', recorded: new Date().toISOString(),
    outcome: parts.success ? '0' : '4', ...(parts.success ? {} : { outcomeDesc: parts.failure ?? 'failed' }),
    agent: parts.agent, source: eventSource(parts.baseUrl), ...(parts.entity ? { entity: parts.entity } : {}),
  };
}

export interface SignInFacts {
  /** The login typed; the User's id when it signed in. */
  login: string;
  userId?: string;
  clientId: string;
  /** The browser's address. */
  address?: string;
  baseUrl: string;
}

/** A sign-in on the sign-in page: the user (their id, or the login tried when none matched), the client it was for, the server. */
export function signInEvent(facts: SignInFacts): Resource {
  const user = userAgent({ userId: facts.userId ?? facts.login });
  const network = facts.address ? { network: { address: facts.address, type: '2' } } : {};
  return authEvent({
    subtype: SUBTYPE_LOGIN, success: facts.userId !== undefined, failure: 'unknown login or wrong password',
    agent: [{ ...user, ...network }, clientAgent({ kind: 'client', via: 'basic', clientId: facts.clientId, scopes: [], admin: false }, true), serverAgent(facts.baseUrl, true)],
    baseUrl: facts.baseUrl,
  });
}

export interface TokenFacts {
  clientId: string;
  userId?: string;
  fhirUser?: string;
  scopes: readonly string[];
  /** The token's session, when it has one. */
  sessionId?: string;
  baseUrl: string;
}

/** An access token issued (client credentials, authorization code, refresh): who got it, with which scopes. */
export function tokenIssuedEvent(facts: TokenFacts): Resource {
  const caller = { kind: facts.userId ? 'user' : 'client', via: 'bearer', clientId: facts.clientId, userId: facts.userId, fhirUser: facts.fhirUser, scopes: facts.scopes, admin: false } as const;
  const user = userAgent(caller);
  return authEvent({
    subtype: SUBTYPE_GET_ACCESS_TOKEN, success: true, profile: TOKEN_PROFILE, baseUrl: facts.baseUrl,
    agent: [clientAgent(caller, false), ...(user ? [user] : []), serverAgent(facts.baseUrl, false)],
    entity: [{
      type: ENTITY_SYSTEM_OBJECT, role: ROLE_DOMAIN_RESOURCE, name: 'access token',
      description: `scope: ${facts.scopes.join(' ')}`, ...(facts.sessionId ? { what: { reference: `Session/${facts.sessionId}` } } : {}),
    }],
  });
}

/** A revocation that ended a session (RFC 7009): the client that asked, the session ended. */
export function revocationEvent(facts: { clientId: string; sessionId: string; baseUrl: string }): Resource {
  return authEvent({
    subtype: SUBTYPE_LOGOUT, success: true, baseUrl: facts.baseUrl,
    agent: [clientAgent({ kind: 'client', via: 'basic', clientId: facts.clientId, scopes: [], admin: false }, true), serverAgent(facts.baseUrl, true)],
    entity: [{ what: { reference: `Session/${facts.sessionId}` }, type: ENTITY_SYSTEM_OBJECT, role: ROLE_DOMAIN_RESOURCE }],
  });
}
