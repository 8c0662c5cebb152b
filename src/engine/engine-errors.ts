/**
 * The engine's error catalogue: every stable code the interactions, the write plans and the
 * Bundles raise, with its category, issue type and message (see core/error-catalogue.ts).
 */
import { defineErrors, detail } from '../core/index.js';

/** The conditional writes, each with its own words for "the criteria match more than one resource". */
export type ConditionalWrite = 'create' | 'update' | 'patch' | 'delete';

const MULTIPLE_MATCHES: Record<ConditionalWrite, string> = {
  create: 'If-None-Exist matched more than one resource',
  update: 'The conditional update criteria match more than one resource',
  patch: 'The conditional patch criteria match more than one resource',
  delete: 'The conditional delete criteria match more than one resource; add _multiple=true to delete them all',
};

export const engineErrors = defineErrors('engine', {
  'rest.multiple-matches': {
    category: 'precondition-failed',
    issueType: 'multiple-matches',
    summary: 'The criteria of a conditional create, update, patch or delete match more than one resource',
    message: (a: { write: ConditionalWrite }) => MULTIPLE_MATCHES[a.write],
  },
  'rest.too-many-matches': {
    category: 'too-costly',
    summary: 'A conditional delete with _multiple=true matches more resources than the server deletes at once',
    message: (a: { max: number }) => `The criteria match more than ${a.max} resources`,
  },
  'rest.if-match-no-resource': {
    category: 'precondition-failed',
    summary: 'If-Match names a version, but the resource does not exist',
    message: (a: { expected: string }) => `If-Match requires version ${a.expected}, but the resource does not exist`,
  },
  'rest.version-conflict': {
    category: 'precondition-failed',
    summary: 'If-Match names another version than the current one',
    message: (a: { expected: string; current: string }) => `If-Match requires version ${a.expected}, but the current version is ${a.current}`,
  },
  'rest.if-none-match-exists': {
    category: 'precondition-failed',
    summary: 'If-None-Match: * on a write, but the resource exists',
    message: (a: { current: string }) => `If-None-Match: * allows only a create, but the resource exists (version ${a.current})`,
  },
  'rest.if-none-match-version': {
    category: 'precondition-failed',
    summary: 'If-None-Match on a write names the current version',
    message: (a: { current: string }) => `If-None-Match names the current version ${a.current}`,
  },
  'rest.method-not-allowed': {
    category: 'not-allowed',
    summary: 'The path (or the operation) does not take this HTTP method (the Allow header lists those it takes)',
    message: detail,
  },
  'rest.unknown-path': {
    category: 'not-found',
    summary: 'No FHIR interaction lives at the path',
    message: (a: { path: string }) => `No FHIR interaction lives at /${a.path}`,
  },
  'rest.deleted': {
    category: 'gone',
    summary: 'The resource (or the version read) was deleted',
    message: (a: { resourceType: string; id: string; versionId: string }) => `${a.resourceType}/${a.id} was deleted (version ${a.versionId})`,
  },
  'rest.history-disabled': {
    category: 'unsupported',
    summary: 'History is turned off for the resource type',
    message: (a: { resourceType: string }) => `History is disabled for resource type ${a.resourceType}`,
  },
  'search.unknown-compartment': {
    category: 'not-found',
    summary: 'A compartment search names a type that is not a compartment',
    message: (a: { compartment: string }) => `${a.compartment} is not a compartment`,
  },
  'patch.unsupported-format': {
    category: 'unsupported-media-type',
    summary: 'A PATCH body is neither a JSON Patch document nor a FHIRPath Patch Parameters resource',
    message: () => 'PATCH takes a JSON Patch document (application/json-patch+json) or a FHIRPath Patch Parameters resource',
  },
  'patch.changes-identity': {
    category: 'unprocessable',
    summary: 'A patch changes the resourceType or the id',
    message: () => 'A patch must not change resourceType or id',
  },
  'transaction.conditional-reference': {
    category: 'precondition-failed',
    summary: 'A conditional reference (Type?query) in a transaction matches no resource or more than one',
    message: (a: { reference: string; found: 'no' | 'more than one' }) => `The conditional reference ${a.reference} matches ${a.found} resource`,
  },
  'resource.array-too-long': {
    category: 'too-large',
    issueType: 'too-costly',
    summary: 'An array in a resource written is longer than FLINT_MAX_ARRAY_LENGTH allows',
    message: (a: { name: string; length: number; max: number }) =>
      `${a.name} has ${a.length} items; this server accepts at most ${a.max} in one array (FLINT_MAX_ARRAY_LENGTH)`,
  },
  'bundle.too-many-entries': {
    category: 'too-large',
    issueType: 'too-costly',
    summary: 'A batch or transaction Bundle has more entries than FLINT_BUNDLE_MAX_ENTRIES allows',
    message: (a: { count: number; max: number }) =>
      `The Bundle has ${a.count} entries; this server accepts at most ${a.max} (FLINT_BUNDLE_MAX_ENTRIES)`,
  },
  'engine.write-not-queued': {
    category: 'fault',
    summary: 'A write inside a transaction Bundle needs a queue the Bundle did not wait in (a defect)',
    message: detail,
  },
  'rest.resource-not-found': {
    category: 'not-found',
    summary: 'No resource of the type has the id (read, history of an instance, patch)',
    message: (a: { resourceType: string | undefined; id: string }) => `${a.resourceType}/${a.id} is not known`,
  },
  'rest.version-not-found': {
    category: 'not-found',
    summary: 'The resource has no version with the id a vread names',
    message: (a: { resourceType: string | undefined; id: string | undefined; versionId: string }) =>
      `${a.resourceType}/${a.id} has no version ${a.versionId}`,
  },
  'access.write-outside-rows': {
    category: 'forbidden',
    summary: 'The resource as it would be stored is outside the rows the caller may write (its access policies\' rows)',
    message: (a: { resourceType: string }) => `This ${a.resourceType} is outside the ${a.resourceType} rows you may write`,
  },
  'rest.no-match': {
    category: 'not-found',
    summary: 'The criteria of a conditional patch match no resource',
    message: () => 'The conditional patch criteria match no resource',
  },
  'rest.missing-body': {
    category: 'invalid',
    summary: 'A create or update has no resource in its body',
    message: (a: { resourceType: string }) => `A ${a.resourceType} resource is required in the request body`,
  },
  'rest.not-a-resource': {
    category: 'invalid',
    summary: 'The body of a write is not a JSON object with a resourceType',
    message: () => 'The request body must be a JSON object with a resourceType',
  },
  'rest.type-mismatch': {
    category: 'invalid',
    summary: 'The body of a write is a resource of another type than the URL names',
    message: (a: { bodyType: string; resourceType: string }) => `The body is a ${a.bodyType}, but the URL names ${a.resourceType}`,
  },
  'rest.missing-id': {
    category: 'invalid',
    summary: 'The resource of an update by id has no id',
    message: (a: { id: string }) => `The resource must have an id equal to the URL's id ${a.id}`,
  },
  'rest.id-mismatch': {
    category: 'invalid',
    summary: 'The resource\'s id differs from the URL\'s id, or from the resource a conditional update matches',
    message: detail,
  },
  'rest.invalid-id': {
    category: 'invalid',
    summary: 'An id is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)',
    message: (a: { id: string }) => `"${a.id}" is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)`,
  },
  'rest.missing-criteria': {
    category: 'invalid',
    summary: 'A conditional update, patch or delete has no search criteria in its URL',
    message: (a: { write: string }) => `A conditional ${a.write} needs search criteria in the URL`,
  },
  'rest.bad-isolation-level': {
    category: 'invalid',
    summary: 'x-max-isolation-level is not read-committed, repeatable-read or serializable',
    message: (a: { header: string }) => `x-max-isolation-level must be read-committed, repeatable-read or serializable, not "${a.header}"`,
  },
  'rest.unknown-history-parameter': {
    category: 'invalid',
    summary: 'A history request has a parameter other than _count, _since, _at and _cursor',
    message: (a: { name: string }) => `Unknown history parameter ${a.name}`,
  },
  'rest.bad-history-parameter': {
    category: 'invalid',
    summary: '_since is not an instant with a timezone, _at not a date, or _count or _cursor not a non-negative integer',
    message: detail,
  },
  'rest.unknown-operation': {
    category: 'not-found',
    summary: 'No operation of that name is served at the level (and type) of the URL',
    message: (a: { name: string; where: string }) => `Unknown operation $${a.name}${a.where}`,
  },
  'rest.operation-needs-post': {
    category: 'not-allowed',
    summary: 'An operation that changes data is invoked with GET',
    message: (a: { name: string }) => `$${a.name} changes data and must be invoked with POST`,
  },
  'search.not-in-compartment': {
    category: 'invalid',
    summary: 'A compartment search names a type that is not a member of the compartment',
    message: (a: { target: string; compartment: string }) => `${a.target} resources are not in the ${a.compartment} compartment`,
  },
  'search.bad-type': {
    category: 'invalid',
    summary: '_type is given to a search that is not a system search',
    message: () => '_type applies to system search only',
  },
  'search.missing-code': {
    category: 'invalid',
    summary: '$create-search-index or $drop-search-index has no code, or one that is not a code',
    message: detail,
  },
  'search.index-in-transaction': {
    category: 'invalid',
    summary: '$create-search-index or $drop-search-index is an entry of a transaction Bundle (indexes are built and dropped concurrently)',
    message: detail,
  },
  'patch.not-json-patch': {
    category: 'invalid',
    summary: 'A JSON Patch body is not an array of operations',
    message: () => 'A JSON Patch body must be an array of operations',
  },
  'bundle.not-a-bundle': {
    category: 'invalid',
    summary: 'A POST to the base has a body that is not a Bundle',
    message: () => 'POST to the base takes a Bundle of type batch or transaction',
  },
  'bundle.nested': {
    category: 'invalid',
    summary: 'A Bundle is an entry of a transaction',
    message: () => 'A Bundle cannot be an entry of a transaction',
  },
  'bundle.bad-type': {
    category: 'invalid',
    summary: 'A Bundle posted to the base is neither a batch nor a transaction',
    message: (a: { type: unknown }) => `Bundle.type must be batch or transaction, not ${a.type}`,
  },
  'bundle.bad-entries': {
    category: 'invalid',
    summary: 'Bundle.entry is not an array',
    message: () => 'Bundle.entry must be an array',
  },
  'bundle.bad-entry': {
    category: 'invalid',
    summary: 'An entry of a Bundle is not an object',
    message: (a: { index: number }) => `Bundle.entry[${a.index}] is not an object`,
  },
  'bundle.missing-request': {
    category: 'invalid',
    summary: 'An entry of a batch or transaction has no request.method or request.url',
    message: (a: { where: string }) => `${a.where} needs request.method and request.url`,
  },
  'bundle.bad-method': {
    category: 'invalid',
    summary: 'An entry\'s request.method is not GET, HEAD, POST, PUT, PATCH or DELETE',
    message: (a: { where: string; method: string }) => `${a.where} has an unknown method ${a.method}`,
  },
  'bundle.bad-resource': {
    category: 'invalid',
    summary: 'An entry\'s resource is not a resource (a JSON object with a resourceType)',
    message: (a: { where: string }) => `${a.where}.resource is not a resource`,
  },
  'bundle.bad-patch': {
    category: 'invalid',
    summary: 'A PATCH entry carries a Binary whose data is not a JSON Patch document',
    message: (a: { index: number }) => `Bundle.entry[${a.index}] has a Binary that is not a JSON Patch document`,
  },
  'transaction.duplicate-full-url': {
    category: 'invalid',
    summary: 'Two entries of a transaction have the same fullUrl',
    message: (a: { index: number; fullUrl: string }) => `Bundle.entry[${a.index}] repeats the fullUrl ${a.fullUrl}`,
  },
  'transaction.duplicate-resource': {
    category: 'invalid',
    summary: 'Two entries of a transaction change the same resource',
    message: (a: { owner: number; index: number; identity: string }) =>
      `Bundle.entry[${a.owner}] and Bundle.entry[${a.index}] both change ${a.identity}; a transaction changes each resource once`,
  },
  'transaction.unresolved-reference': {
    category: 'invalid',
    summary: 'A urn:uuid or urn:oid reference names no entry of the transaction',
    message: (a: { reference: string }) => `The reference ${a.reference} names no entry of this transaction`,
  },
});
