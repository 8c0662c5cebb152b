/**
 * R4 core invariants whose published FHIRPath the engine cannot run as written, with the
 * expression evaluated instead (same intent, valid FHIRPath): eld-16/19/20 use regular expression
 * escapes that are not valid in ECMAScript's unicode mode, eld-11 (bindings only on coded types,
 * string and uri) uses select() where it means where(), so it can never fail, tim-9 applies `in`
 * to a repeating element, and txt-2 (some content)
 * has the same expression as txt-1 (allowed elements) although it checks something else, so it
 * runs htmlHasContent(). A correction applies only
 * to the exact published expression, so a profile's own invariants are never rewritten.
 */

const CORRECTIONS: [key: string, published: string, evaluated: string][] = [
  ['txt-2', 'htmlChecks()', 'htmlHasContent()'],
  ["eld-16", "sliceName.empty() or sliceName.matches('^[a-zA-Z0-9\\\\/\\\\-_\\\\[\\\\]\\\\@]+$')",
    "sliceName.empty() or sliceName.matches('^[a-zA-Z0-9/\\\\-_\\\\[\\\\]@]+$')"],
  ["eld-19", "path.matches('[^\\\\s\\\\.,:;\\\\\\'\"\\\\/|?!@#$%&*()\\\\[\\\\]{}]{1,64}(\\\\.[^\\\\s\\\\.,:;\\\\\\'\"\\\\/|?!@#$%&*()\\\\[\\\\]{}]{1,64}(\\\\[x\\\\])?(\\\\:[^\\\\s\\\\.]+)?)*')",
    "path.matches('[^\\\\s.,:;\\'\"/|?!@#$%&*()\\\\[\\\\]{}]{1,64}(\\\\.[^\\\\s.,:;\\'\"/|?!@#$%&*()\\\\[\\\\]{}]{1,64}(\\\\[x\\\\])?(:[^\\\\s.]+)?)*')"],
  ["eld-20", "path.matches('[A-Za-z][A-Za-z0-9]*(\\\\.[a-z][A-Za-z0-9]*(\\\\[x])?)*')",
    "path.matches('[A-Za-z][A-Za-z0-9]*(\\\\.[a-z][A-Za-z0-9]*(\\\\[x\\\\])?)*')"],
  ['eld-11', "binding.empty() or type.code.empty() or type.select((code = 'code') or (code = 'Coding') or (code='CodeableConcept') or (code = 'Quantity') or (code = 'string') or (code = 'uri')).exists()",
    "binding.empty() or type.code.empty() or type.where((code = 'code') or (code = 'Coding') or (code='CodeableConcept') or (code = 'Quantity') or (code = 'string') or (code = 'uri')).exists()"],
  ["tim-9", "offset.empty() or (when.exists() and ((when in ('C' | 'CM' | 'CD' | 'CV')).not()))",
    "offset.empty() or (when.exists() and when.all(($this in ('C' | 'CM' | 'CD' | 'CV')).not()))"],
];

const byExpression = new Map(CORRECTIONS.map(([key, published, evaluated]) => [`${key}\u0000${published}`, evaluated]));

/** The expression to evaluate for a constraint. */
export function evaluatedExpression(key: string, expression: string): string {
  return byExpression.get(`${key}\u0000${expression}`) ?? expression;
}

export const CORRECTED_KEYS: readonly string[] = CORRECTIONS.map(([key]) => key);
