/**
 * Finds stable error codes spelled at a throw site instead of in a catalogue: `new FhirError(` with
 * a literal code, and the core shorthands invalid(, unprocessable(, notFound( with one. Catalogue
 * files (those that call defineErrors) and core's own error definitions are not throw sites.
 */

export interface InlineCode {
  file: string;
  line: number;
  code: string;
}

const QUOTE = `['"\`]`;
const CODE = `${QUOTE}([a-z0-9-]+\\.[a-z0-9.-]+)${QUOTE}`;
const CONSTRUCTED = new RegExp(`new\\s+FhirError\\(\\s*${QUOTE}[a-z-]+${QUOTE}\\s*,\\s*${CODE}`, 'g');
const SHORTHAND = new RegExp(`(?<![\\w.])(?:invalid|unprocessable|notFound)\\(\\s*${CODE}`, 'g');

/** Files that define the error machinery itself. */
const MACHINERY = new Set(['src/core/fhir-error.ts', 'src/core/error-catalogue.ts']);

export function isCatalogue(file: string, text: string): boolean {
  return MACHINERY.has(file) || /\bdefineErrors\(/.test(text);
}

export function inlineCodes(file: string, text: string): InlineCode[] {
  if (isCatalogue(file, text)) return [];
  const found: InlineCode[] = [];
  for (const pattern of [CONSTRUCTED, SHORTHAND]) {
    for (const match of text.matchAll(pattern)) {
      found.push({ file, line: text.slice(0, match.index).split('\n').length, code: match[1] });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
