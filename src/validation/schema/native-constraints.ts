/**
 * Core invariants evaluated natively instead of through the FHIRPath engine, because nearly every
 * value carries them: each entry has exactly the published expression (only that expression is
 * replaced) and gives the same verdict the engine gives (test/validation/native-constraints.test.ts
 * compares both). ele-1, ext-1 and dom-3 are checked by the walk itself (dom-3 from the local
 * references the walk collects: the published expression searches the whole resource with
 * descendants() four times, the most expensive check of a resource with contained resources);
 * ref-1 here.
 */

export interface NativeConstraint {
  expression: string;
  /** undefined: the walk checks it (ele-1, ext-1, dom-3). */
  check?: (focus: unknown, rootResource: unknown) => boolean;
}

function containedIds(rootResource: unknown): unknown[] {
  const contained = (rootResource as { contained?: unknown } | null)?.contained;
  return Array.isArray(contained) ? contained.map((resource) => (resource as { id?: unknown } | null)?.id) : [];
}

/**
 * ref-1: a local reference (#id) names a contained resource of the root resource. An empty result
 * passes: no reference, and "#" alone (substring(1) of "#" is empty in FHIRPath).
 */
function ref1(focus: unknown, rootResource: unknown): boolean {
  const reference = (focus as { reference?: unknown } | null)?.reference;
  if (typeof reference !== 'string' || !reference.startsWith('#') || reference.length === 1) return true;
  return containedIds(rootResource).includes(reference.slice(1));
}

export const NATIVE_CONSTRAINTS: Record<string, NativeConstraint> = {
  'ele-1': { expression: 'hasValue() or (children().count() > id.count())' },
  'ext-1': { expression: 'extension.exists() != value.exists()' },
  'dom-3': {
    expression: "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
  },
  'ref-1': {
    expression: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    check: ref1,
  },
};
