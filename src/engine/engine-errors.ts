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
    summary: 'The path does not take this HTTP method (the Allow header lists those it takes)',
    message: (a: { method: string; path: string }) => `${a.method} is not supported on /${a.path}`,
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
});
