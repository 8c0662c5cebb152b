/**
 * Every stable error code of src/ lives in its module's catalogue (defineErrors): a throw site
 * that spells a code inline (`new FhirError('invalid', 'x.code', ...)`, `invalid('x.code', ...)`)
 * fails here. Every module has its catalogue, so notYetConverted is empty; it stays as the place
 * to list a file whose codes are still to move, and only shrinks: a listed file without inline
 * codes fails too, so it is taken off once converted. The scan itself is tested on made-up text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { inlineCodes } from './inline-error-codes.js';

const root = new URL('../..', import.meta.url).pathname;

/** Files whose codes have not moved to a catalogue yet: none, every module has its catalogue. */
export const notYetConverted: readonly string[] = [];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).sort().flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [relative(root, path)] : [];
  });
}

describe('error codes live in catalogues', () => {
  const found = sourceFiles(join(root, 'src')).flatMap((file) => inlineCodes(file, readFileSync(join(root, file), 'utf8')));
  const withInline = new Set(found.map((inline) => inline.file));

  it('no file outside the list spells a code at its throw site', () => {
    const listed = new Set(notYetConverted);
    const offending = found.filter((inline) => !listed.has(inline.file)).map((inline) => `${inline.file}:${inline.line} ${inline.code}`);
    assert.deepEqual(offending, [], '\nmove these codes into the module\'s catalogue (src/<module>/<module>-errors.ts)');
  });

  it('every listed file still has inline codes (take converted files off the list)', () => {
    assert.deepEqual(notYetConverted.filter((file) => !withInline.has(file)), []);
  });
});

describe('the inline code scan', () => {
  it('finds a constructed FhirError with a literal code, and the shorthands', () => {
    const text = [
      "throw new FhirError('invalid', 'x.bad', 'Bad');",
      'throw new FhirError(\n  "conflict",\n  "x.taken", `taken`);',
      "throw invalid('x.short', 'Short');",
      "throw notFound('x.gone', 'Gone');",
    ].join('\n');
    assert.deepEqual(inlineCodes('src/x/a.ts', text).map((inline) => [inline.line, inline.code]),
      [[1, 'x.bad'], [2, 'x.taken'], [5, 'x.short'], [6, 'x.gone']]);
  });

  it('leaves alone codes from a variable or a catalogue, other functions named alike, and catalogue files', () => {
    const text = [
      'throw new FhirError(error.category, error.code, message);',
      "throw new FhirError('invalid', CODES.bad, 'Bad');",
      "throw xErrors['x.bad']({ detail: 'Bad' });",
      "throw invalid(location, 'must be a string');",
      "schema.invalid('x.y');",
    ].join('\n');
    assert.deepEqual(inlineCodes('src/x/a.ts', text), []);
    assert.deepEqual(inlineCodes('src/x/x-errors.ts', "defineErrors('x', {});\nnew FhirError('invalid', 'x.bad', 'Bad');"), []);
  });
});
