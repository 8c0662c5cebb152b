/**
 * The catalogue of the errors of JSON Patch and FHIRPath Patch (docs/patch.md): all 422, a patch
 * that cannot be applied to the resource as it is.
 */
import { defineErrors, detail } from '../core/index.js';

const problem = (summary: string) => ({ category: 'unprocessable' as const, summary, message: detail });

export const patchErrors = defineErrors('patch', {
  'patch.element-exists': problem('Add of a single-valued element that is already there'),
  'patch.from-not-found': problem('From does not exist'),
  'patch.from-required': problem('Move or copy without from'),
  'patch.index-out-of-bounds': problem('An array index past the end (JSON Patch), or an index, source or destination out of the list (FHIRPath Patch)'),
  'patch.invalid-array-index': problem('An array index that is neither a number nor -'),
  'patch.invalid-op': problem('Op is not one of the six'),
  'patch.invalid-operation': problem('An operation is not an object; in FHIRPath Patch: a parameter is not named operation'),
  'patch.invalid-parameters': problem('The body is not a Parameters resource'),
  'patch.invalid-part': problem('An unknown part, or a part of the wrong kind (index not a non-negative integer)'),
  'patch.invalid-path': problem('Path or from is not a JSON Pointer, or steps through __proto__, constructor or prototype'),
  'patch.invalid-type': problem('Type is not add, insert, delete, replace or move'),
  'patch.invalid-value': problem('A value whose type a choice element does not allow'),
  'patch.missing-part': problem('A part the type needs is missing'),
  'patch.multiple-matches': problem('Add, replace or delete found several elements at path'),
  'patch.no-match': problem('Add, insert, replace or move found nothing at path'),
  'patch.not-a-list': problem('Insert or move on something that is not one list'),
  'patch.not-an-array': problem('The body is not a JSON array'),
  'patch.not-an-element': problem('Path gives a computed value, not an element of the resource'),
  'patch.path-not-found': problem('Path (for add: its parent) does not exist'),
  'patch.result-not-a-resource': problem('The patched resource would not be a resource of the same type'),
  'patch.test-failed': problem('A test operation found another value'),
  'patch.unknown-element': problem('Add (or an anonymous value part) names an element the type does not have'),
  'patch.value-required': problem('Add, replace or test without value'),
});

export type PatchErrorCode = keyof typeof patchErrors;
