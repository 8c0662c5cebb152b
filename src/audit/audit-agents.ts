/**
 * The agents and the source of an AuditEvent (BALP): the client application, the user when one
 * signed in (requestor), and this server; the source observer is the server. In BALP the side data
 * flows from is the Source Role and the other the Destination Role: for a read the server is the
 * source, for a create the client is.
 */
import type { Caller } from '../core/index.js';
import { APPLICATION_SERVER, DESTINATION_ROLE, HUMAN_USER, SOURCE_ROLE, type Coding } from './audit-codes.js';

export type AuditAgent = Record<string, unknown>;

const SERVER_NAME = 'Flint FHIR server';

function type(coding: Coding): { coding: Coding[] } {
  return { coding: [coding] };
}

/** The server, named by its FHIR base URL. */
function serverIdentity(baseUrl: string): Record<string, unknown> {
  return { identifier: { system: 'urn:ietf:rfc:3986', value: baseUrl }, display: SERVER_NAME };
}

/** The identifier systems of Flint's own Client and User ids (they are not FHIR types a Reference may name). */
export const CLIENT_ID_SYSTEM = 'urn:flint:client';
export const USER_ID_SYSTEM = 'urn:flint:user';

/** The client of the request (its id; display Client/x), requestor when no user acts through it. */
export function clientAgent(caller: Caller | undefined, clientIsSource: boolean, address?: string): AuditAgent {
  const who = caller?.clientId
    ? { identifier: { system: CLIENT_ID_SYSTEM, value: caller.clientId }, display: `Client/${caller.clientId}` }
    : { display: caller?.kind === 'anonymous' ? 'anonymous (authentication off)' : 'unknown client' };
  return {
    type: type(clientIsSource ? SOURCE_ROLE : DESTINATION_ROLE), who, requestor: !caller?.userId,
    ...(address ? { network: { address, type: '2' } } : {}),
  };
}

/**
 * The user, when there is one: their fhirUser as the reference (Patient/1, Practitioner/7), their
 * User id as identifier (display User/x), the requestor.
 */
export function userAgent(caller: Pick<Caller, 'userId' | 'fhirUser'> | undefined): AuditAgent | undefined {
  if (!caller?.userId) return undefined;
  const who = {
    ...(caller.fhirUser ? { reference: caller.fhirUser } : {}),
    identifier: { system: USER_ID_SYSTEM, value: caller.userId }, display: `User/${caller.userId}`,
  };
  return { type: type(HUMAN_USER), who, requestor: true };
}

/** This server: the other side of the exchange, never the requestor. */
export function serverAgent(baseUrl: string, clientIsSource: boolean): AuditAgent {
  return { type: type(clientIsSource ? DESTINATION_ROLE : SOURCE_ROLE), who: serverIdentity(baseUrl), requestor: false, network: { address: baseUrl, type: '5' } };
}

/** client, user (when present), server. */
export function eventAgents(caller: Caller | undefined, baseUrl: string, clientIsSource: boolean, address?: string): AuditAgent[] {
  const user = userAgent(caller);
  return [clientAgent(caller, clientIsSource, address), ...(user ? [user] : []), serverAgent(baseUrl, clientIsSource)];
}

export function eventSource(baseUrl: string): Record<string, unknown> {
  return { observer: serverIdentity(baseUrl), type: [APPLICATION_SERVER] };
}
