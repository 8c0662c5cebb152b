/**
 * Matcho, Aidbox's structural pattern language for access policies, compiled once per policy
 * version into a matcher over the request object. A map matches a map holding at least its keys
 * (recursively); an array matches an array whose first items match in order; a string starting
 * with `#` is a regular expression; `.a.b` is the value at that path of the request object;
 * `present?`, `nil?` and `not-blank?` test presence; `{$enum: [...]}` one of the values,
 * `{$one-of: [...]}` one of the patterns, `{$contains: p}` an array with an item matching p;
 * anything else matches an equal value. A pattern this cannot compile is refused (invalid).
 */
import { accessErrors } from './access-errors.js';

/** A compiled pattern: whether a value matches, given the whole request object (for `.path` values). */
export type Matcher = (value: unknown, root: unknown) => boolean;

const PREDICATES: Record<string, Matcher> = {
  'present?': (value) => value !== undefined && value !== null,
  'nil?': (value) => value === undefined || value === null,
  'not-blank?': (value) => value !== undefined && value !== null && (typeof value !== 'string' || value.trim() !== ''),
};

const OPERATORS = ['$enum', '$one-of', '$contains'];

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`.user.fhirUser`) of an object; undefined where the path leaves it. */
export function valueAtPath(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (isMap(value)) value = value[key];
    else return undefined;
  }
  return value;
}

function invalid(where: string, reason: string): Error {
  return accessErrors['access.invalid-policy']({ detail: `matcho ${where}: ${reason}` });
}

function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]));
  if (isMap(left) && isMap(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => deepEqual(left[key], right[key]));
  }
  return false;
}

function compileString(pattern: string, where: string): Matcher {
  const predicate = PREDICATES[pattern];
  if (predicate) return predicate;
  if (pattern.startsWith('#')) {
    let regex: RegExp;
    try {
      regex = new RegExp(pattern.slice(1), 'u');
    } catch (error) {
      throw invalid(where, `${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message})`);
    }
    return (value) => typeof value === 'string' && regex.test(value);
  }
  if (pattern.startsWith('.') && pattern.length > 1) {
    const path = pattern.slice(1).split('.');
    return (value, root) => {
      const expected = valueAtPath(root, path);
      return expected !== undefined && deepEqual(value, expected);
    };
  }
  return (value) => value === pattern;
}

function compileOperator(pattern: Record<string, unknown>, where: string): Matcher {
  const [key] = Object.keys(pattern);
  const argument = pattern[key];
  if (key === '$enum') {
    if (!Array.isArray(argument)) throw invalid(where, '$enum takes an array of values');
    return (value) => argument.some((item) => deepEqual(value, item));
  }
  if (key === '$one-of') {
    if (!Array.isArray(argument)) throw invalid(where, '$one-of takes an array of patterns');
    const matchers = argument.map((item, index) => compileMatcho(item, `${where}.$one-of[${index}]`));
    return (value, root) => matchers.some((matcher) => matcher(value, root));
  }
  const item = compileMatcho(argument, `${where}.$contains`);
  return (value, root) => Array.isArray(value) && value.some((entry) => item(entry, root));
}

function compileMap(pattern: Record<string, unknown>, where: string): Matcher {
  const keys = Object.keys(pattern);
  if (keys.some((key) => key.startsWith('$'))) {
    if (keys.length !== 1 || !OPERATORS.includes(keys[0])) {
      throw invalid(where, `an operator stands alone in its map and is one of ${OPERATORS.join(', ')} (found ${keys.join(', ')})`);
    }
    return compileOperator(pattern, where);
  }
  const entries = keys.map((key) => [key, compileMatcho(pattern[key], `${where}.${key}`)] as const);
  return (value, root) => isMap(value) && entries.every(([key, matcher]) => matcher(value[key], root));
}

/** Compiles a Matcho pattern; throws policy.invalid for a pattern it cannot use (bad regex, unknown operator). */
export function compileMatcho(pattern: unknown, where = ''): Matcher {
  if (typeof pattern === 'string') return compileString(pattern, where || '(root)');
  if (Array.isArray(pattern)) {
    const items = pattern.map((item, index) => compileMatcho(item, `${where}[${index}]`));
    return (value, root) => Array.isArray(value) && items.every((matcher, index) => matcher(value[index], root));
  }
  if (isMap(pattern)) return compileMap(pattern, where || '(root)');
  return (value) => value === pattern;
}
