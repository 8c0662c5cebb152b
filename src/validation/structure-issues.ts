/**
 * The stable codes of structural problems (the JSON shape of a resource against its definition).
 */
import type { Issue, IssueType } from '../core/index.js';

export const STRUCTURE_CODES = {
  notAnObject: 'structure.not-an-object',
  unknownType: 'structure.unknown-resource-type',
  abstractType: 'structure.abstract-resource-type',
  invalidId: 'structure.invalid-id',
  unknownElement: 'structure.unknown-element',
  expectedArray: 'structure.expected-array',
  unexpectedArray: 'structure.unexpected-array',
  emptyArray: 'structure.empty-array',
  emptyObject: 'structure.empty-object',
  nullValue: 'structure.null-value',
  wrongJsonType: 'structure.wrong-json-type',
  invalidPrimitive: 'structure.invalid-primitive',
  primitiveExtensionMismatch: 'structure.primitive-extension-mismatch',
} as const;

export function structureIssue(code: string, diagnostics: string, path: string, type: IssueType = 'structure'): Issue {
  return { severity: 'error', type, code, diagnostics, expression: [path] };
}
