/**
 * Slicing (http://hl7.org/fhir/R4/profiling.html#slicing): assigns the items of a sliced element
 * to slices, checks each slice's cardinality, closed slicing (no item outside the slices),
 * openAtEnd (items outside the slices only after the sliced ones) and ordered slicing. Extension
 * elements whose profile names slices without a slicing are sliced by url, open.
 */
import type { ElementRule, SliceRule, SlicingRule } from '../schema/element-rule.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { compileSliceMatcher, type ProfileCheck, type SliceMatcher } from './slice-matcher.js';
import type { TypedJson } from './value-match.js';
import { report, type WalkContext } from './walk-context.js';

const EXTENSION_SLICING: SlicingRule = { discriminators: [{ type: 'value', path: 'url' }], rules: 'open', ordered: false };
const matchers = new WeakMap<SliceRule, SliceMatcher>();

export interface SlicedItem extends TypedJson {
  path: string;
}

function matcherOf(slicing: SlicingRule, slice: SliceRule, conforms: ProfileCheck): SliceMatcher {
  let matcher = matchers.get(slice);
  if (!matcher) {
    matcher = compileSliceMatcher(slicing, slice, conforms);
    matchers.set(slice, matcher);
  }
  return matcher;
}

function slicingOf(rule: ElementRule): SlicingRule | undefined {
  if (rule.slicing) return rule.slicing;
  return rule.name === 'extension' || rule.name === 'modifierExtension' ? EXTENSION_SLICING : undefined;
}

function describeMax(max: number): string {
  return max === Infinity ? '*' : String(max);
}

function checkCounts(walk: WalkContext, rule: ElementRule, slices: SliceRule[], counts: number[], path: string): void {
  slices.forEach((slice, index) => {
    const { min, max } = slice.rule;
    if (min !== undefined && counts[index] < min) {
      report(walk, 'error', 'required', CODES.sliceCardinalityMin,
        `Slice ${rule.path}:${slice.name}: minimum required = ${min}, but only found ${counts[index]} (from ${slice.rule.source})`, path);
    }
    if (max !== undefined && counts[index] > max) {
      report(walk, 'error', 'invalid', CODES.sliceCardinalityMax,
        `Slice ${rule.path}:${slice.name}: maximum allowed = ${describeMax(max)}, but found ${counts[index]} (from ${slice.rule.source})`, path);
    }
  });
}

/**
 * Slices the items of one element by one rule; returns, per item, the slice rules it matched
 * (to validate the item against).
 */
export function checkSlicing(walk: WalkContext, rule: ElementRule, items: SlicedItem[], path: string, conforms: ProfileCheck): (ElementRule | undefined)[] {
  const slices = rule.slices ?? [];
  const slicing = slicingOf(rule);
  const matched: (ElementRule | undefined)[] = new Array(items.length);
  if (!slicing || slices.length === 0) return matched;
  const counts = slices.map(() => 0);
  let lastSlice = -1;
  let unslicedSeen = false;
  items.forEach((item, index) => {
    const sliceIndex = slices.findIndex((slice) => matcherOf(slicing, slice, conforms)(walk, item));
    if (sliceIndex < 0) {
      unslicedSeen = true;
      if (slicing.rules === 'closed') {
        report(walk, 'error', 'invalid', CODES.sliceUnmatched,
          `This element does not match any known slice of ${rule.path} and the slicing is closed (from ${rule.source})`, item.path);
      }
      return;
    }
    counts[sliceIndex]++;
    matched[index] = slices[sliceIndex].rule;
    if (slicing.rules === 'openAtEnd' && unslicedSeen) {
      report(walk, 'error', 'invalid', CODES.sliceOrder, `The slice ${slices[sliceIndex].name} comes after an item outside the slices, but the slicing of ${rule.path} is openAtEnd`, item.path);
    }
    if (slicing.ordered && sliceIndex < lastSlice) {
      report(walk, 'error', 'invalid', CODES.sliceOrder, `The slices of ${rule.path} are ordered, but ${slices[sliceIndex].name} comes after ${slices[lastSlice].name}`, item.path);
    }
    lastSlice = Math.max(lastSlice, sliceIndex);
  });
  checkCounts(walk, rule, slices, counts, path);
  return matched;
}
