/**
 * Which slice an item belongs to (http://hl7.org/fhir/R4/profiling.html#discriminator): each
 * discriminator of the slicing must agree. value and pattern compare the value at the path with
 * the slice's fixed or pattern value there (or, for extensions, the url of the slice's extension
 * definition; or a required binding's value set), type compares the item's type, profile
 * validates the value against the slice's profile, exists checks presence. On resolve() (a
 * Reference's target), type and profile read the slice's target profiles and value reads the
 * target profile's rules; the target is the resource when it is contained or in the Bundle around
 * (resolution-scope.ts), else only its type from the reference, which decides type and, given the
 * benefit of the doubt, profile (its conformance cannot be checked without the resource).
 */
import { isJsonObject, parseReference } from '../../core/index.js';
import { constraintRoots } from '../schema/compiled-definition.js';
import type { ElementRule, SliceRule, SlicingRule, TypeRef } from '../schema/element-rule.js';
import { targetTypesOf } from './check-reference.js';
import { resolveReference } from './resolution-scope.js';
import { equalsFixed, matchesPattern, selectPath, type TypedJson } from './value-match.js';
import type { WalkContext } from './walk-context.js';

export type SliceMatcher = (walk: WalkContext, item: TypedJson) => boolean;

/** The rule at a discriminator path inside a slice rule (following children and ofType). */
function ruleAtPath(rule: ElementRule, path: string): ElementRule | undefined {
  let current: ElementRule | undefined = rule;
  for (const step of path.split('.')) {
    if (!current) return undefined;
    if (step === '$this' || step === '') continue;
    const ofType = /^(?:ofType|as)\(([A-Za-z]+)\)$/.exec(step);
    if (ofType) {
      current = current.typeRules?.get(ofType[1]) ?? current;
      continue;
    }
    if (/^extension\(/.test(step)) return undefined;
    current = current.children?.elements.get(step);
  }
  return current;
}

function firstDefined<T>(rules: ElementRule[], read: (rule: ElementRule) => T | undefined): T | undefined {
  for (const rule of rules) {
    const value = read(rule);
    if (value !== undefined) return value;
  }
  return undefined;
}

function valueMatcher(rules: ElementRule[], path: string): SliceMatcher {
  const fixed = firstDefined(rules, (rule) => ruleAtPath(rule, path)?.fixed);
  const pattern = firstDefined(rules, (rule) => ruleAtPath(rule, path)?.pattern);
  if (fixed !== undefined) return (_walk, item) => (selectPath(item, path) ?? []).some((found) => equalsFixed(found.value, fixed));
  if (pattern !== undefined) return (_walk, item) => (selectPath(item, path) ?? []).some((found) => matchesPattern(found.value, pattern));
  if (path === 'url' || path === '$this.url') {
    const profile = firstDefined(rules, (rule) => rule.types?.find((type) => type.code === 'Extension')?.profiles?.[0]);
    if (profile !== undefined) {
      const url = profile.split('|')[0];
      return (_walk, item) => (selectPath(item, path) ?? []).some((found) => found.value === url || found.value === profile);
    }
  }
  const binding = firstDefined(rules, (rule) => ruleAtPath(rule, path)?.binding);
  if (binding?.strength === 'required' && binding.valueSet) {
    const valueSet = binding.valueSet;
    return (walk, item) => (selectPath(item, path) ?? []).some((found) => codesIn(walk, found, valueSet));
  }
  return () => false;
}

function codesIn(walk: WalkContext, found: TypedJson, valueSet: string): boolean {
  const value = found.value;
  if (typeof value === 'string') return walk.terminology.membership(valueSet, undefined, value) === 'in';
  if (typeof value !== 'object' || value === null) return false;
  const object = value as { system?: string; code?: string; coding?: { system?: string; code?: string }[] };
  const codings = object.coding ?? [object];
  return codings.some((coding) => typeof coding.code === 'string' && walk.terminology.membership(valueSet, coding.system, coding.code) === 'in');
}

function typeMatcher(rules: ElementRule[], path: string): SliceMatcher {
  const types = firstDefined(rules, (rule) => ruleAtPath(rule, path)?.types)?.map((type) => type.code) ?? [];
  return (_walk, item) => (selectPath(item, path) ?? []).some((found) => {
    const value = found.value as { resourceType?: unknown } | null;
    const type = found.type ?? (typeof value?.resourceType === 'string' ? value.resourceType : undefined);
    return type !== undefined && types.some((candidate) => candidate.toLowerCase() === type.toLowerCase());
  });
}

function existsMatcher(rules: ElementRule[], path: string): SliceMatcher {
  const target = firstDefined(rules, (rule) => ruleAtPath(rule, path));
  const mustExist = (target?.min ?? 0) > 0;
  const mustNotExist = target?.max === 0;
  return (_walk, item) => {
    const found = (selectPath(item, path) ?? []).length > 0;
    return mustExist ? found : mustNotExist ? !found : true;
  };
}

export type ProfileCheck = (walk: WalkContext, value: unknown, profile: string) => boolean;

function profileMatcher(rules: ElementRule[], path: string, conforms: ProfileCheck): SliceMatcher {
  const profiles = firstDefined(rules, (rule) => ruleAtPath(rule, path)?.types?.flatMap((type) => type.profiles ?? []));
  if (!profiles?.length) return () => false;
  return (walk, item) => (selectPath(item, path) ?? []).some((found) => profiles.some((profile) => conforms(walk, found.value, profile)));
}

const RESOLVE = 'resolve()';

/** A Reference's target on resolve(): the resource when it is here, else only the type the reference names. */
function resolvedTarget(walk: WalkContext, reference: unknown): TypedJson | undefined {
  const resource = resolveReference(walk, reference);
  if (resource) return { value: resource, type: typeof resource.resourceType === 'string' ? resource.resourceType : undefined };
  if (!isJsonObject(reference)) return undefined;
  const type = typeof reference.type === 'string' ? reference.type
    : typeof reference.reference === 'string' ? parseReference(reference.reference)?.resourceType : undefined;
  return type ? { value: undefined, type } : undefined;
}

function targetsOf(walk: WalkContext, item: TypedJson, path: string): TypedJson[] {
  return selectPath(item, path, (reference) => resolvedTarget(walk, reference)) ?? [];
}

/** The Reference types with target profiles of the first rule that has any. */
function referenceTypes(rules: ElementRule[]): TypeRef[] {
  return firstDefined(rules, (rule) => {
    const refs = rule.types?.filter((type) => type.targetProfiles?.length);
    return refs?.length ? refs : undefined;
  }) ?? [];
}

function resolvedTypeMatcher(rules: ElementRule[]): SliceMatcher {
  const refs = referenceTypes(rules);
  return (walk, item) => {
    const allowed = refs.flatMap((ref) => targetTypesOf(walk, ref));
    return targetsOf(walk, item, RESOLVE).some((target) => target.type !== undefined && allowed.includes(target.type));
  };
}

function resolvedProfileMatcher(rules: ElementRule[], conforms: ProfileCheck): SliceMatcher {
  const profiles = referenceTypes(rules).flatMap((ref) => ref.targetProfiles ?? []);
  return (walk, item) => targetsOf(walk, item, RESOLVE).some((target) => profiles.some((profile) => (target.value !== undefined
    ? conforms(walk, target.value, profile)
    : definitionType(walk, profile) === target.type)));
}

/** The type a profile constrains, or undefined when it is unknown or broken. */
function definitionType(walk: WalkContext, profile: string): string | undefined {
  try {
    return walk.registry.resolve(profile)?.type;
  } catch {
    return undefined;
  }
}

/** value/pattern on resolve().path: the fixed or pattern value at that path in the slice's target profile. */
function resolvedValueMatcher(rules: ElementRule[], path: string): SliceMatcher {
  const inner = path.slice(RESOLVE.length + 1);
  const profiles = referenceTypes(rules).flatMap((ref) => ref.targetProfiles ?? []);
  let expected: { fixed?: unknown; pattern?: unknown } | undefined;
  const expectedValue = (walk: WalkContext) => {
    if (!expected) {
      const roots = profiles.flatMap((profile) => {
        try {
          const definition = walk.registry.resolve(profile);
          return definition ? constraintRoots(definition) : [];
        } catch {
          return [];
        }
      });
      expected = { fixed: firstDefined(roots, (root) => ruleAtPath(root, inner)?.fixed), pattern: firstDefined(roots, (root) => ruleAtPath(root, inner)?.pattern) };
    }
    return expected;
  };
  return (walk, item) => {
    const { fixed, pattern } = expectedValue(walk);
    if (fixed === undefined && pattern === undefined) return false;
    return targetsOf(walk, item, path).some((found) => (fixed !== undefined ? equalsFixed(found.value, fixed) : matchesPattern(found.value, pattern)));
  };
}

/** A discriminator on the target of a Reference (resolve() or resolve().path), or undefined for other paths. */
function resolvedMatcher(type: string, rules: ElementRule[], path: string, conforms: ProfileCheck): SliceMatcher | undefined {
  if (path !== RESOLVE && !path.startsWith(`${RESOLVE}.`)) return undefined;
  if (path === RESOLVE && type === 'type') return resolvedTypeMatcher(rules);
  if (path === RESOLVE && type === 'profile') return resolvedProfileMatcher(rules, conforms);
  if (path !== RESOLVE && (type === 'value' || type === 'pattern')) return resolvedValueMatcher(rules, path);
  return () => false;
}

export function compileSliceMatcher(slicing: SlicingRule, slice: SliceRule, conforms: ProfileCheck): SliceMatcher {
  const rules = [slice.rule, ...(slice.inherited ?? [])];
  const parts = slicing.discriminators.map((discriminator) => {
    const onTarget = resolvedMatcher(discriminator.type, rules, discriminator.path, conforms);
    if (onTarget) return onTarget;
    switch (discriminator.type) {
      case 'value': case 'pattern': return valueMatcher(rules, discriminator.path);
      case 'type': return typeMatcher(rules, discriminator.path);
      case 'exists': return existsMatcher(rules, discriminator.path);
      case 'profile': return profileMatcher(rules, discriminator.path, conforms);
    }
    return (() => false) as SliceMatcher;
  });
  if (parts.length === 0) return () => false;
  return (walk, item) => parts.every((part) => part(walk, item));
}
