/**
 * The AuditEvent (R4) of a RESTful interaction, following IHE BALP: type rest, the interaction as
 * subtype, the action, the outcome (with outcomeDesc on failure), the agents (client, user,
 * server), the server as source, and the entities: the resource (Type/id/_history/v), or the query
 * of a search (base64 in entity.query, readable in description), and the patient entity (role 1)
 * when the event concerns patients. Pure: the same facts make the same event.
 */
import { randomUUID } from 'node:crypto';
import type { Caller, Resource } from '../core/index.js';
import { eventAgents, eventSource } from './audit-agents.js';
import { readableQuery } from './readable-query.js';
import {
  actionOf, balpProfile, ENTITY_PERSON, ENTITY_SYSTEM_OBJECT, EVENT_TYPE_REST, outcomeOfStatus, ROLE_DOMAIN_RESOURCE, ROLE_PATIENT,
  ROLE_QUERY, subtypeCoding, type AuditAction, type RestSubtype,
} from './audit-codes.js';

export interface RestEventFacts {
  subtype: RestSubtype;
  /** The action; the subtype's when absent (a PUT that created a resource is C). */
  action?: AuditAction;
  /** The HTTP status answered (or the error's). */
  status: number;
  /** Why it failed (outcomeDesc), for a status of 400 or more. */
  failure?: string;
  caller?: Caller;
  /** The FHIR base URL the request addressed. */
  baseUrl: string;
  /** The resource the interaction is about: Type/id or Type/id/_history/v. */
  target?: string;
  /** A search's or history's query as requested (Type?params); recorded base64 in entity.query. */
  query?: string;
  /** An operation's name, with its $. */
  operation?: string;
  /** Ids of the patients the event concerns. */
  patients: readonly string[];
  /** When the event happened (now when absent) and the event's id (a new one when absent). */
  recorded?: string;
  id?: string;
}

type Entity = Record<string, unknown>;

function entities(facts: RestEventFacts): Entity[] {
  const result: Entity[] = [];
  if (facts.target !== undefined) {
    result.push({ what: { reference: facts.target }, type: ENTITY_SYSTEM_OBJECT, role: ROLE_DOMAIN_RESOURCE, ...(facts.operation ? { description: facts.operation } : {}) });
  } else if (facts.operation !== undefined) {
    result.push({ type: ENTITY_SYSTEM_OBJECT, role: ROLE_DOMAIN_RESOURCE, name: facts.operation });
  }
  if (facts.query !== undefined) {
    result.push({ type: ENTITY_SYSTEM_OBJECT, role: ROLE_QUERY, query: Buffer.from(facts.query, 'utf8').toString('base64'), description: readableQuery(facts.query) });
  }
  for (const patient of facts.patients) result.push({ what: { reference: `Patient/${patient}` }, type: ENTITY_PERSON, role: ROLE_PATIENT });
  return result;
}

/** The BALP agents' direction: the client sends the data of creates, updates and operations, and receives that of reads. */
function clientIsSource(action: AuditAction): boolean {
  return action !== 'R';
}

/** Builds the event (see the module comment). */
export function restEvent(facts: RestEventFacts): Resource {
  const action = facts.action ?? actionOf(facts.subtype);
  const outcome = outcomeOfStatus(facts.status);
  const profile = outcome === '0' ? balpProfile(facts.subtype, action, facts.patients.length > 0) : undefined;
  const entity = entities(facts);
  return {
    resourceType: 'AuditEvent',
    id: facts.id ?? randomUUID(),
    ...(profile ? { meta: { profile: [profile] } } : {}),
    type: EVENT_TYPE_REST,
    subtype: [subtypeCoding(facts.subtype)],
    action,
    recorded: facts.recorded ?? new Date().toISOString(),
    outcome,
    ...(outcome !== '0' && facts.failure ? { outcomeDesc: facts.failure } : {}),
    agent: eventAgents(facts.caller, facts.baseUrl, clientIsSource(action)),
    source: eventSource(facts.baseUrl),
    ...(entity.length > 0 ? { entity } : {}),
  };
}
