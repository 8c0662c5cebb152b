/**
 * The identity resource types: User, Client, Session and Role. They are ordinary resource types of
 * this server (a StructureDefinition each, a specialization of DomainResource, with a few search
 * parameters), so they are validated, stored with history and served at /fhir/User and the rest
 * like any other type, and changes reach every server process through the shared database. Client
 * follows Aidbox's documented shape (snake_case names such as `grant_types`). The secrets they carry
 * when written (`User.password`, `Client.secret`) are never stored in them: see credentials.ts.
 */
import type { Resource } from '../core/index.js';
import type { FhirModel, StructureDefinition } from '../model/index.js';

export const IDENTITY_TYPES = ['User', 'Client', 'Session', 'Role'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

const DOMAIN_RESOURCE = 'http://hl7.org/fhir/StructureDefinition/DomainResource';
const BACKBONE = 'BackboneElement';

interface ElementSpec {
  path: string;
  type: string;
  short: string;
  min?: number;
  many?: boolean;
  targets?: string[];
}

function element(spec: ElementSpec): object {
  const type = spec.targets
    ? { code: 'Reference', targetProfile: spec.targets.map((target) => `http://hl7.org/fhir/StructureDefinition/${target}`) }
    : { code: spec.type };
  return { path: spec.path, short: spec.short, min: spec.min ?? 0, max: spec.many ? '*' : '1', type: [type] };
}

export function identityTypeUrl(type: IdentityType): string {
  return `urn:flint:StructureDefinition:${type}`;
}

function definition(type: IdentityType, description: string, elements: ElementSpec[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition', url: identityTypeUrl(type), version: '1', name: type, status: 'active', description,
    kind: 'resource', abstract: false, type, baseDefinition: DOMAIN_RESOURCE, derivation: 'specialization',
    differential: { element: [{ path: type, short: description }, ...elements.map(element)] as never },
  };
}

const FHIR_USER_TARGETS = ['Patient', 'Practitioner', 'RelatedPerson', 'Person'];

const USER = definition('User', 'A person who signs in: an administrator, a clinician, a patient', [
  { path: 'User.email', type: 'string', short: 'The login name (an email address or any unique name)' },
  { path: 'User.name', type: 'HumanName', short: 'The name shown on the sign-in and consent pages' },
  { path: 'User.password', type: 'string', short: 'Write only: hashed on write and never stored in the resource' },
  { path: 'User.fhirUser', type: 'Reference', targets: FHIR_USER_TARGETS, short: 'Who the user is in FHIR (the fhirUser claim)' },
  { path: 'User.inactive', type: 'boolean', short: 'An inactive user cannot sign in, and its tokens stop working' },
]);

const CLIENT = definition('Client', 'An application that calls the server: a SMART app, a backend service, a script', [
  { path: 'Client.name', type: 'string', short: 'The name shown on the consent page' },
  { path: 'Client.description', type: 'string', short: 'What the client is for' },
  { path: 'Client.secret', type: 'string', short: 'Write only: hashed on write and never stored in the resource; public clients have none' },
  { path: 'Client.type', type: 'string', short: 'What kind of client (free text, as in Aidbox: smart-app, backend, script)' },
  { path: 'Client.active', type: 'boolean', short: 'false: the client can no longer sign in or use its tokens' },
  { path: 'Client.grant_types', type: 'code', many: true, short: 'basic | client_credentials | authorization_code | refresh_token' },
  { path: 'Client.scope', type: 'string', many: true, short: 'The scopes the client may be granted (SMART scopes, openid, fhirUser, ...)' },
  { path: 'Client.auth', type: BACKBONE, short: 'Settings per grant type' },
  { path: 'Client.auth.authorization_code', type: BACKBONE, short: 'The authorization code grant' },
  { path: 'Client.auth.authorization_code.redirect_uri', type: 'uri', short: 'Where the code is sent' },
  { path: 'Client.auth.authorization_code.pkce', type: 'boolean', short: 'PKCE (S256) required even for a confidential client' },
  { path: 'Client.auth.authorization_code.access_token_expiration', type: 'integer', short: 'Access token lifetime in seconds' },
  { path: 'Client.auth.client_credentials', type: BACKBONE, short: 'The client credentials grant' },
  { path: 'Client.auth.client_credentials.access_token_expiration', type: 'integer', short: 'Access token lifetime in seconds' },
  { path: 'Client.jwks', type: BACKBONE, short: 'The public keys of a client that signs its assertions (private_key_jwt)' },
  { path: 'Client.jwks.keys', type: BACKBONE, many: true, short: 'A JSON Web Key (RFC 7517), public part only' },
  ...['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y'].map((name) => ({ path: `Client.jwks.keys.${name}`, type: 'string', short: `The key's ${name}` })),
  { path: 'Client.jwks_uri', type: 'uri', short: 'Where the client publishes its public keys (private_key_jwt)' },
  { path: 'Client.smart', type: BACKBONE, short: 'SMART App Launch settings' },
  { path: 'Client.smart.launch_uri', type: 'uri', short: 'The app launch URL (EHR launch)' },
  { path: 'Client.allowed_origins', type: 'string', many: true, short: 'Browser origins allowed to call the server (CORS)' },
]);

const SESSION = definition('Session', 'One issued token family: who, which client, what scopes, until when', [
  { path: 'Session.user', type: 'Reference', targets: ['User'], short: 'The user who signed in (absent for a client acting for itself)' },
  { path: 'Session.client', type: 'Reference', targets: ['Client'], min: 1, short: 'The client the tokens were issued to' },
  { path: 'Session.scope', type: 'string', many: true, short: 'The scopes granted' },
  { path: 'Session.launch', type: BACKBONE, short: 'The SMART launch context granted' },
  { path: 'Session.launch.patient', type: 'Reference', targets: ['Patient'], short: 'The patient in context' },
  { path: 'Session.launch.encounter', type: 'Reference', targets: ['Encounter'], short: 'The encounter in context' },
  { path: 'Session.expires', type: 'instant', short: 'When the session (its refresh token) ends' },
  { path: 'Session.revoked', type: 'boolean', short: 'Revoked: its tokens no longer work' },
]);

const ROLE = definition('Role', 'A role a user has, with the resources it acts for', [
  { path: 'Role.name', type: 'string', min: 1, short: 'The role: admin, practitioner, patient, ...' },
  { path: 'Role.user', type: 'Reference', targets: ['User'], min: 1, short: 'The user who has the role' },
  { path: 'Role.links', type: BACKBONE, short: 'The resources the role acts for' },
  { path: 'Role.links.patient', type: 'Reference', targets: ['Patient'], short: 'The patient the user acts for' },
  { path: 'Role.links.practitioner', type: 'Reference', targets: ['Practitioner'], short: 'The practitioner the user acts as' },
]);

function searchParameter(type: IdentityType, code: string, kind: string, expression: string, description: string): Resource {
  return {
    resourceType: 'SearchParameter', id: `${type}-${code}`, url: `urn:flint:SearchParameter/${type}-${code}`, name: code,
    status: 'active', description, code, base: [type], type: kind, expression,
  };
}

const SEARCH_PARAMETERS: Resource[] = [
  searchParameter('User', 'email', 'token', 'User.email', 'The login name'),
  searchParameter('User', 'fhir-user', 'reference', 'User.fhirUser', 'Who the user is in FHIR'),
  searchParameter('Client', 'active', 'token', 'Client.active', 'Whether the client is active'),
  searchParameter('Session', 'user', 'reference', 'Session.user', 'The user of the session'),
  searchParameter('Session', 'client', 'reference', 'Session.client', 'The client of the session'),
  searchParameter('Role', 'user', 'reference', 'Role.user', 'The user who has the role'),
  searchParameter('Role', 'name', 'token', 'Role.name', 'The role'),
];

export const IDENTITY_DEFINITIONS = [USER, CLIENT, SESSION, ROLE];

/** Adds the identity types and their search parameters to the model (once; a later call changes nothing). */
export function addIdentityTypes(model: FhirModel): void {
  if (model.getType('Client')?.url === identityTypeUrl('Client')) return;
  for (const identityDefinition of IDENTITY_DEFINITIONS) model.addDefinition(identityDefinition);
  for (const parameter of SEARCH_PARAMETERS) model.addDefinition(parameter);
}
