/**
 * The AccessPolicy resource type (docs/access-control.md): a system type like the identity types,
 * in Aidbox's documented shape. Its engine bodies (`matcho`, `schema`, `sql`, `and`, `or`) are free
 * JSON: their elements have a type this model does not define, so the validator checks only that
 * each is a JSON object and the format module passes them through unchanged in both directions.
 * `link` is a Reference (User | Client | Operation), converted between `{reference}` (FHIR form)
 * and `{resourceType, id}` (Aidbox form) like any reference.
 */
import type { Resource } from '../core/index.js';
import { differentialElement, specializationDefinition, typeSearchParameter, type FhirModel } from '../model/index.js';
import { addIdentityTypes, IDENTITY_TYPES } from './identity-types.js';

export const ACCESS_POLICY = 'AccessPolicy';
export const ACCESS_POLICY_URL = 'urn:flint:StructureDefinition:AccessPolicy';
/** The target type of a policy's link to an operation (Operation/FhirSql): a type of its own, as in Aidbox. */
export const OPERATION = 'Operation';

/** The type code of the free JSON members (FHIRPath's root type): no definition in the model, so any JSON object is kept as written. */
const FREE_JSON = 'http://hl7.org/fhirpath/System.Any';

export const POLICY_ENGINES = ['allow', 'matcho', 'json-schema', 'sql', 'complex'] as const;
export type PolicyEngine = (typeof POLICY_ENGINES)[number];

const ACCESS_POLICY_DEFINITION = specializationDefinition(ACCESS_POLICY, ACCESS_POLICY_URL, 'Who may make which requests, and which rows of each type they see and write', [
  { path: ACCESS_POLICY, short: 'An access policy' },
  differentialElement('AccessPolicy.description', 'string', 'What the policy is for'),
  differentialElement('AccessPolicy.engine', 'code', 'allow | matcho | json-schema | sql | complex', false, 1),
  differentialElement('AccessPolicy.matcho', FREE_JSON, 'engine matcho: the pattern the request object must match'),
  differentialElement('AccessPolicy.schema', FREE_JSON, 'engine json-schema: the JSON Schema the request object must satisfy'),
  differentialElement('AccessPolicy.sql', 'BackboneElement', 'engine sql: a query returning one boolean'),
  differentialElement('AccessPolicy.sql.query', 'string', 'The SELECT; {{path}} values of the request become bind parameters'),
  differentialElement('AccessPolicy.and', FREE_JSON, 'engine complex: policy bodies that must all allow', true),
  differentialElement('AccessPolicy.or', FREE_JSON, 'engine complex: policy bodies of which one must allow', true),
  {
    path: 'AccessPolicy.link', short: 'Whom the policy applies to: a User, a Client or an Operation', min: 0, max: '*',
    type: [{ code: 'Reference', targetProfile: ['User', 'Client', 'Operation'].map((type) => `urn:flint:StructureDefinition:${type}`) }],
  },
  differentialElement('AccessPolicy.roleName', 'string', 'The policy applies to users holding a Role of this name'),
  differentialElement('AccessPolicy.rows', 'string', 'The rows granted: Type?criteria, a bare Type, or a compartment Patient/{{context.patient}}', true),
]);

const OPERATION_DEFINITION = specializationDefinition(
  OPERATION, `urn:flint:StructureDefinition:${OPERATION}`,
  'An operation of the server a policy can be linked to (FhirRead, FhirSearch, FhirSql, ...: docs/access-control.md)',
  [{ path: OPERATION, short: 'An operation of the server' }, differentialElement('Operation.description', 'string', 'What the operation does')],
);


const SEARCH_PARAMETERS: Resource[] = [
  typeSearchParameter(ACCESS_POLICY, 'engine', 'token', 'AccessPolicy.engine', 'The engine of the policy'),
  typeSearchParameter(ACCESS_POLICY, 'link', 'reference', 'AccessPolicy.link', 'The User, Client or Operation the policy applies to'),
  typeSearchParameter(ACCESS_POLICY, 'role-name', 'token', 'AccessPolicy.roleName', 'The role the policy applies to'),
];

/** Adds the AccessPolicy type and its search parameters to the model (once). */
export function addAccessPolicyType(model: FhirModel): void {
  if (model.getType(ACCESS_POLICY)?.url === ACCESS_POLICY_URL) return;
  model.addDefinition(OPERATION_DEFINITION);
  model.addDefinition(ACCESS_POLICY_DEFINITION);
  for (const parameter of SEARCH_PARAMETERS) model.addDefinition(parameter);
}

/** The access module's system types: the identity types, AccessPolicy and Operation. */
export const ACCESS_SYSTEM_TYPES: readonly string[] = [...IDENTITY_TYPES, ACCESS_POLICY, OPERATION];

/** Adds every type of the access module to the model: identity types, then AccessPolicy. */
export function addAccessTypes(model: FhirModel): void {
  addIdentityTypes(model);
  addAccessPolicyType(model);
}
