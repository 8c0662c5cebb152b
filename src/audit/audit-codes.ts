/**
 * The codes and profile URLs an AuditEvent of Flint carries: the event types (FHIR's audit-event-type
 * `rest`, DICOM's User Authentication), the RESTful interaction subtypes, entity types and roles,
 * and the IHE Basic Audit Log Patterns (BALP) profiles (https://profiles.ihe.net/ITI/BALP/).
 */
import type { Interaction } from '../engine/index.js';

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';

export const EVENT_TYPE_REST: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' };
export const EVENT_TYPE_USER_AUTHENTICATION: Coding = { system: DCM, code: '110114', display: 'User Authentication' };
export const SUBTYPE_LOGIN: Coding = { system: DCM, code: '110122', display: 'Login' };
export const SUBTYPE_LOGOUT: Coding = { system: DCM, code: '110123', display: 'Logout' };
export const SUBTYPE_GET_ACCESS_TOKEN: Coding = { system: 'urn:ihe:event-type-code', code: 'ITI-71', display: 'Get Access Token' };

/** The agent types of BALP: the side data flows from (source) and the side it flows to (destination). */
export const SOURCE_ROLE: Coding = { system: DCM, code: '110153', display: 'Source Role ID' };
export const DESTINATION_ROLE: Coding = { system: DCM, code: '110152', display: 'Destination Role ID' };
export const HUMAN_USER: Coding = { system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' };
export const APPLICATION_SERVER: Coding = { system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' };

const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
export const ENTITY_PERSON: Coding = { system: ENTITY_TYPE, code: '1', display: 'Person' };
export const ENTITY_SYSTEM_OBJECT: Coding = { system: ENTITY_TYPE, code: '2', display: 'System Object' };
export const ROLE_PATIENT: Coding = { system: OBJECT_ROLE, code: '1', display: 'Patient' };
export const ROLE_DOMAIN_RESOURCE: Coding = { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' };
export const ROLE_QUERY: Coding = { system: OBJECT_ROLE, code: '24', display: 'Query' };

/** The subtype code (http://hl7.org/fhir/restful-interaction) of each interaction of the engine. */
export type RestSubtype =
  | 'read' | 'vread' | 'update' | 'patch' | 'delete' | 'create' | 'search-type' | 'search-system'
  | 'history-instance' | 'history-type' | 'history-system' | 'capabilities' | 'batch' | 'transaction' | 'operation';

const SUBTYPES: Record<Exclude<Interaction, 'batch'>, RestSubtype> = {
  read: 'read', vread: 'vread', update: 'update', 'conditional-update': 'update', patch: 'patch', 'conditional-patch': 'patch',
  delete: 'delete', 'conditional-delete': 'delete', create: 'create', 'search-type': 'search-type', 'search-system': 'search-system',
  'search-compartment': 'search-type', 'history-instance': 'history-instance', 'history-type': 'history-type',
  'history-system': 'history-system', capabilities: 'capabilities', operation: 'operation',
};

/** The subtype of a route's interaction; a Bundle POSTed to the base is a batch or a transaction. */
export function restSubtype(interaction: Interaction, bundleType?: unknown): RestSubtype {
  if (interaction === 'batch') return bundleType === 'transaction' ? 'transaction' : 'batch';
  return SUBTYPES[interaction];
}

export function subtypeCoding(subtype: RestSubtype): Coding {
  return { system: 'http://hl7.org/fhir/restful-interaction', code: subtype };
}

/** AuditEvent.action: Create, Read, Update, Delete, Execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

const ACTIONS: Record<RestSubtype, AuditAction> = {
  create: 'C', read: 'R', vread: 'R', 'search-type': 'R', 'search-system': 'R', 'history-instance': 'R', 'history-type': 'R',
  'history-system': 'R', capabilities: 'R', update: 'U', patch: 'U', delete: 'D', batch: 'E', transaction: 'E', operation: 'E',
};

export function actionOf(subtype: RestSubtype): AuditAction {
  return ACTIONS[subtype];
}

/** Whether the subtype only reads (FLINT_AUDIT_READS=off leaves these out). */
export function isReadSubtype(subtype: RestSubtype): boolean {
  return ACTIONS[subtype] === 'R';
}

const PROFILE_NAMES: Partial<Record<RestSubtype, string>> = {
  create: 'Create', read: 'Read', vread: 'Read', update: 'Update', patch: 'Update', delete: 'Delete',
  'search-type': 'Query', 'search-system': 'Query', 'history-instance': 'Query', 'history-type': 'Query', 'history-system': 'Query',
};

/**
 * The BALP profile of a RESTful event: Create, Read, Update, Delete or Query, the Patient variant
 * when a patient entity is present; none for operations, Bundles and capabilities (BALP has no
 * pattern for them). A PUT or PATCH that created the resource follows Create.
 */
export function balpProfile(subtype: RestSubtype, action: AuditAction, withPatient: boolean): string | undefined {
  const name = action === 'C' ? 'Create' : PROFILE_NAMES[subtype];
  return name === undefined ? undefined : `${BALP}/IHE.BasicAudit.${withPatient ? 'Patient' : ''}${name}`;
}

export const TOKEN_PROFILE = `${BALP}/IHE.IUA.71`;

/** AuditEvent.outcome: success, minor failure (the request was refused or wrong), serious failure (the server failed). */
export type AuditOutcome = '0' | '4' | '8' | '12';

export function outcomeOfStatus(status: number): AuditOutcome {
  if (status >= 500) return '8';
  return status >= 400 ? '4' : '0';
}
