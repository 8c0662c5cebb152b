/**
 * The limits every JSON text Flint parses obeys: at most MAX_JSON_DEPTH nested arrays and objects
 * (FHIR resources stay far below it; deeper text is refused before any recursive code sees it), and
 * no string that the database cannot store (a NUL character or an unpaired surrogate). Values that
 * reach Flint other than as JSON text can be checked with rejectDeepJson.
 */
import type { FhirError } from './fhir-error.js';
import { coreErrors } from './core-errors.js';
import { rejectUnstorableText } from './input-text.js';

/** The deepest nesting of arrays and objects a JSON value may have. */
export const MAX_JSON_DEPTH = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index just past the string that opens at `start` (a double quote). */
export function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end + 1;
    end = text.indexOf('"', end + 1);
  }
}

function tooDeep(): FhirError {
  return coreErrors['json.too-deep']({ maxDepth: MAX_JSON_DEPTH });
}

/** Throws 400 (json.too-deep) when the (valid) JSON text nests deeper than MAX_JSON_DEPTH. */
export function rejectDeepJsonText(text: string): void {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) index = stringEnd(text, index) - 1;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
}

/** Throws 400 (json.too-deep) when a JS value nests deeper than MAX_JSON_DEPTH (walked without recursion). */
export function rejectDeepJson(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw tooDeep();
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
}

/** An escape that may decode to a NUL character or a surrogate. */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** Throws 400 when a string (or member name) of the parsed JSON text cannot be stored. */
export function rejectUnstorableStrings(text: string, value: unknown): void {
  if (!SUSPECT_ESCAPE.test(text)) return;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') rejectUnstorableText(node, 'A JSON string');
    else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        rejectUnstorableText(key, 'A JSON member name');
        stack.push(child);
      }
    }
  }
}
