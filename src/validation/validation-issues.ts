/**
 * The stable codes of validation against definitions and profiles (cardinality, types, values,
 * slicing, bindings, invariants, extensions, references), and the one builder of their issues.
 * Structural problems keep their own codes (structure-issues.ts) and are the only issues of type
 * "structure" (a write with one of those answers 400; every other error 422).
 */
import type { Issue, IssueSeverity, IssueType } from '../core/index.js';

export const VALIDATION_CODES = {
  cardinalityMin: 'validation.cardinality-min',
  cardinalityMax: 'validation.cardinality-max',
  typeNotAllowed: 'validation.type-not-allowed',
  fixedValue: 'validation.fixed-value',
  patternValue: 'validation.pattern-value',
  maxLength: 'validation.max-length',
  bindingRequired: 'validation.binding-required',
  bindingExtensible: 'validation.binding-extensible',
  bindingUnchecked: 'validation.binding-unchecked',
  bindingNoCode: 'validation.binding-no-code',
  codeUnknown: 'validation.code-unknown',
  displayMismatch: 'validation.display-mismatch',
  codingSystem: 'validation.coding-system',
  valueSetFilter: 'validation.value-set-filter',
  invariant: 'validation.invariant',
  invariantFailed: 'validation.invariant-not-evaluated',
  sliceUnmatched: 'validation.slice-closed',
  sliceOrder: 'validation.slice-order',
  sliceCardinalityMin: 'validation.slice-cardinality-min',
  sliceCardinalityMax: 'validation.slice-cardinality-max',
  extensionUnknown: 'validation.extension-unknown',
  extensionContext: 'validation.extension-context',
  extensionNoUrl: 'validation.extension-url-missing',
  extensionVersioned: 'validation.extension-url-versioned',
  referenceFormat: 'validation.reference-format',
  referenceTarget: 'validation.reference-target-type',
  referenceNotFound: 'validation.reference-not-found',
  referenceUnresolved: 'validation.reference-unresolved',
  profileUnknown: 'validation.profile-unknown',
  profileInvalid: 'validation.profile-invalid',
  profileType: 'validation.profile-type-mismatch',
  bundleFullUrl: 'validation.bundle-full-url',
  bundleDuplicate: 'validation.bundle-duplicate-entry',
  bundleLink: 'validation.bundle-link',
  xhtml: 'validation.xhtml',
  exampleUrl: 'validation.example-url',
  markdownHtml: 'validation.markdown-html',
  base64: 'validation.base64',
  attachmentSize: 'validation.attachment-size',
  canonicalUrl: 'validation.canonical-url',
  definition: 'validation.definition',
  codeSystemProperty: 'validation.code-system-property',
  codeSystemPropertyDuplicate: 'validation.code-system-property-duplicate',
  codeSystemPropertyValue: 'validation.code-system-property-value',
  codeSystemSupplement: 'validation.code-system-supplement',
  codeSystemSupplementCode: 'validation.code-system-supplement-code',
} as const;

export type ValidationCode = typeof VALIDATION_CODES[keyof typeof VALIDATION_CODES];

export function validationIssue(
  severity: IssueSeverity, type: IssueType, code: string, diagnostics: string, path: string,
): Issue {
  return { severity, type, code, diagnostics, expression: [path] };
}
