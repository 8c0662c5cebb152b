/**
 * Core invariants evaluated natively instead of through the FHIRPath engine, because nearly every
 * value carries them: each entry has exactly the published expression (only that expression is
 * replaced) and gives the same verdict the engine gives (test/validation/native-constraints.test.ts
 * compares both). ele-1, ext-1 and dom-3 are checked by the walk itself (dom-3 from the local
 * references the walk collects: the published expression searches the whole resource with
 * descendants() four times, the most expensive check of a resource with contained resources);
 * ref-1, dom-2, dom-4, dom-5, qty-3 and per-1 (for the common case of two full dateTimes; other
 * values go to the engine) here.
 */

export interface NativeConstraint {
  expression: string;
  /**
   * The verdict, or undefined when this value needs the engine after all. Absent: the walk checks
   * the constraint itself (ele-1, ext-1, dom-3).
   */
  check?: (focus: unknown, rootResource: unknown) => boolean | undefined;
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

function containedResources(focus: unknown): Record<string, unknown>[] {
  const contained = (focus as { contained?: unknown } | null)?.contained;
  return Array.isArray(contained) ? contained.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
}

function containedMeta(focus: unknown): Record<string, unknown>[] {
  return containedResources(focus).map((resource) => resource.meta).filter((meta): meta is Record<string, unknown> => typeof meta === 'object' && meta !== null);
}

/** dom-2: contained resources contain nothing. */
const dom2 = (focus: unknown): boolean => containedResources(focus).every((resource) => resource.contained === undefined);
/** dom-4: contained resources have no meta.versionId nor meta.lastUpdated. */
const dom4 = (focus: unknown): boolean => containedMeta(focus).every((meta) => meta.versionId === undefined && meta.lastUpdated === undefined);
/** dom-5: contained resources have no security labels. */
const dom5 = (focus: unknown): boolean => containedMeta(focus).every((meta) => meta.security === undefined);

/** qty-3: a Quantity with a code has a system. */
function qty3(focus: unknown): boolean {
  const quantity = focus as { code?: unknown; system?: unknown } | null;
  return quantity?.code === undefined || quantity.system !== undefined;
}

const FULL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * per-1: start <= end. Two dateTimes to the second (or millisecond) with a time zone are instants
 * and compare as such; any other pair (dates, partial precision, more fractional digits) goes to
 * the engine, which knows FHIRPath's rules for mixed precision.
 */
function per1(focus: unknown): boolean | undefined {
  const period = focus as { start?: unknown; end?: unknown } | null;
  const { start, end } = period ?? {};
  if (start === undefined || end === undefined) return true;
  if (typeof start !== 'string' || typeof end !== 'string' || !FULL_DATE_TIME.test(start) || !FULL_DATE_TIME.test(end)) return undefined;
  return Date.parse(start) <= Date.parse(end);
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
  'qty-3': { expression: 'code.empty() or system.exists()', check: qty3 },
  'dom-2': { expression: 'contained.contained.empty()', check: dom2 },
  'dom-4': { expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()', check: dom4 },
  'dom-5': { expression: 'contained.meta.security.empty()', check: dom5 },
  'per-1': { expression: 'start.hasValue().not() or end.hasValue().not() or (start <= end)', check: per1 },
};
