/**
 * Comparing values with fixed[x] and pattern[x] (http://hl7.org/fhir/R4/elementdefinition-definitions.html#ElementDefinition.fixed_x__),
 * and reading the simple FHIRPath of slicing discriminators (a.b.c, $this, ofType(T),
 * extension('url'), resolve()) from JSON without the full engine.
 */
import { isJsonObject } from '../../core/index.js';

/** fixed: exactly equal (objects with the same keys, arrays of the same length and order). */
export function equalsFixed(value: unknown, fixed: unknown): boolean {
  if (value === fixed) return true;
  if (Array.isArray(fixed)) {
    return Array.isArray(value) && value.length === fixed.length && fixed.every((item, index) => equalsFixed(value[index], item));
  }
  if (isJsonObject(fixed)) {
    if (!isJsonObject(value)) return false;
    const keys = Object.keys(fixed);
    return keys.length === Object.keys(value).length && keys.every((key) => equalsFixed(value[key], fixed[key]));
  }
  return false;
}

/** pattern: every part of the pattern is in the value (array items matched by any item). */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (value === pattern) return true;
  if (Array.isArray(pattern)) {
    const items = Array.isArray(value) ? value : [value];
    return pattern.every((part) => items.some((item) => matchesPattern(item, part)));
  }
  if (isJsonObject(pattern)) {
    if (!isJsonObject(value)) return false;
    return Object.keys(pattern).every((key) => value[key] !== undefined && matchesPattern(value[key], pattern[key]));
  }
  return false;
}

/** A JSON value with the FHIR type it was read as (choice keys tell the type). */
export interface TypedJson {
  value: unknown;
  type?: string;
}

function childValues(item: TypedJson, name: string): TypedJson[] {
  const value = item.value;
  if (!isJsonObject(value)) return [];
  const result: TypedJson[] = [];
  const push = (found: unknown, type?: string) => {
    if (found === undefined || found === null) return;
    for (const entry of Array.isArray(found) ? found : [found]) result.push({ value: entry, type });
  };
  if (Object.hasOwn(value, name)) push(value[name]);
  else {
    for (const key of Object.keys(value)) {
      if (key.length > name.length && key.startsWith(name) && /[A-Z]/.test(key.charAt(name.length))) push(value[key], key.slice(name.length));
    }
  }
  return result;
}

const EXTENSION_STEP = /^extension\((['"])(.*)\1\)$/;
const OF_TYPE_STEP = /^(?:ofType|as)\(([A-Za-z]+)\)$/;

function splitPath(path: string): string[] {
  const steps: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of path) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === '.' && depth === 0) {
      steps.push(current);
      current = '';
    } else current += char;
  }
  steps.push(current);
  return steps;
}

/** What resolve() gives for a reference: the resource (and its type), only its type, or nothing. */
export type ReferenceResolver = (reference: unknown) => TypedJson | undefined;

/**
 * The values a discriminator path selects from an item, or undefined for a path this reader cannot
 * follow (a function it does not know, or resolve() without a resolver).
 */
export function selectPath(item: TypedJson, path: string, resolve?: ReferenceResolver): TypedJson[] | undefined {
  let current: TypedJson[] = [item];
  for (const step of splitPath(path.trim())) {
    if (step === '$this' || step === '') continue;
    if (step === 'resolve()') {
      if (!resolve) return undefined;
      current = current.flatMap((entry) => resolve(entry.value) ?? []);
      continue;
    }
    const extension = EXTENSION_STEP.exec(step);
    if (extension) {
      current = current.flatMap((entry) => childValues(entry, 'extension').filter((child) => isJsonObject(child.value) && child.value.url === extension[2]));
      continue;
    }
    const ofType = OF_TYPE_STEP.exec(step);
    if (ofType) {
      current = current.filter((entry) => entry.type === undefined || entry.type.toLowerCase() === ofType[1].toLowerCase());
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(step)) return undefined;
    current = current.flatMap((entry) => childValues(entry, step));
  }
  return current;
}
