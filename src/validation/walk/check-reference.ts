/**
 * References (http://hl7.org/fhir/R4/references.html): the form of Reference.reference, the
 * target's type against the element's targetProfile types, references between the entries of a
 * Bundle, and the relative references whose existence the caller checks when asked to.
 */
import { isAbsoluteUri, isJsonObject, parseReference, type JsonObject } from '../../core/index.js';
import type { ElementRule, TypeRef } from '../schema/element-rule.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { resourcesNamed } from './check-bundle.js';
import { report, type WalkContext } from './walk-context.js';

const targetTypeCache = new WeakMap<TypeRef, string[]>();

/** The resource types a targetProfile list allows (a profile stands for the type it constrains). */
export function targetTypesOf(walk: WalkContext, ref: TypeRef): string[] {
  let types = targetTypeCache.get(ref);
  if (!types) {
    types = (ref.targetProfiles ?? []).map((profile, index) => {
      try {
        return walk.registry.resolve(profile)?.type ?? (ref.targetTypes?.[index] as string);
      } catch {
        return ref.targetTypes?.[index] as string;
      }
    });
    targetTypeCache.set(ref, types);
  }
  return types;
}

const ruleTargets = new WeakMap<ElementRule, string[] | null>();

/** The resource types a rule lets a Reference name; null when it allows any. */
function targetsOf(walk: WalkContext, rule: ElementRule): string[] | null {
  let targets = ruleTargets.get(rule);
  if (targets === undefined) {
    const types = rule.types?.filter((type) => type.code === 'Reference').flatMap((type) => targetTypesOf(walk, type)) ?? [];
    targets = types.length > 0 && !types.includes('Resource') ? types : null;
    ruleTargets.set(rule, targets);
  }
  return targets;
}

/** The allowed target types of each rule describing a Reference (rules allowing any type left out). */
function allowedTargets(walk: WalkContext, rules: readonly ElementRule[]): string[][] {
  const sets: string[][] = [];
  for (const rule of rules) {
    const targets = targetsOf(walk, rule);
    if (targets) sets.push(targets);
  }
  return sets;
}

function checkTargetType(walk: WalkContext, resourceType: string, rules: readonly ElementRule[], path: string): void {
  if (!walk.model.isResourceType(resourceType)) {
    report(walk, 'error', 'invalid', CODES.referenceFormat, `The reference names an unknown resource type ${resourceType}`, path);
    return;
  }
  for (const targets of allowedTargets(walk, rules)) {
    if (!targets.includes(resourceType)) {
      report(walk, 'error', 'invalid', CODES.referenceTarget,
        `The reference is to a ${resourceType}, but only ${targets.join(', ')} may be referenced here`, path);
      return;
    }
  }
}

/** In a document or message, a relative reference must name exactly one entry (of that version, when versioned). */
function checkBundleTarget(walk: WalkContext, resourceType: string, id: string, versionId: string | undefined, reference: string, path: string): void {
  const candidates = (walk.bundle?.byTypeAndId.get(`${resourceType}/${id}`) ?? []).filter((resource) => versionId === undefined
    || (isJsonObject(resource.meta) && resource.meta.versionId === versionId));
  if (candidates.length === 0) {
    report(walk, 'error', 'not-found', CODES.referenceUnresolved, `The reference ${reference} names no entry of the Bundle`, path);
  } else if (candidates.length > 1) {
    report(walk, 'error', 'invalid', CODES.referenceUnresolved, `The reference ${reference} matches ${candidates.length} entries of the Bundle`, path);
  }
}

export function checkReference(walk: WalkContext, value: JsonObject, rules: readonly ElementRule[], path: string): void {
  const reference = value.reference;
  if (typeof reference !== 'string') return;
  const here = `${path}.reference`;
  if (reference.startsWith('#')) return; // ref-1 checks contained references
  const parsed = parseReference(reference);
  if (!parsed) {
    if (!isAbsoluteUri(reference)) {
      report(walk, 'error', 'invalid', CODES.referenceFormat,
        `Relative references must have the form [ResourceType]/[id], not '${reference}'`, here);
    }
    return;
  }
  if (parsed.kind === 'urn') {
    if (walk.bundle?.selfContained && !walk.bundle.byFullUrl.has(reference)) {
      report(walk, 'error', 'not-found', CODES.referenceUnresolved, `The reference ${reference} names no entry of the Bundle`, here);
    }
    return;
  }
  const resourceType = parsed.resourceType as string;
  checkTargetType(walk, resourceType, rules, here);
  if (typeof value.type === 'string' && value.type !== resourceType) {
    report(walk, 'error', 'invalid', CODES.referenceTarget, `Reference.type is ${value.type} but the reference is to a ${resourceType}`, `${path}.type`);
  }
  if (parsed.kind === 'relative' && walk.bundle?.selfContained) {
    checkBundleTarget(walk, resourceType, parsed.id as string, parsed.versionId, reference, here);
  } else if (parsed.kind === 'relative' && walk.settings.collectReferences && !(walk.bundle && resourcesNamed(walk.bundle, reference).length > 0)) {
    walk.references.push({ resourceType, id: parsed.id as string, path: here });
  }
}
