/**
 * Every stable error code of src/ lives in its module's catalogue (defineErrors): a throw site
 * that spells a code inline (`new FhirError('invalid', 'x.code', ...)`, `invalid('x.code', ...)`)
 * fails here. The files listed in notYetConverted are the modules still to move their codes
 * (their conversion is under way elsewhere); the list only shrinks: a listed file without inline
 * codes fails too, so it is taken off once converted. The scan itself is tested on made-up text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { inlineCodes } from './inline-error-codes.js';

const root = new URL('../..', import.meta.url).pathname;

/** Files whose codes have not moved to a catalogue yet: the modules search, engine and fhirpath, and validation/packages. */
export const notYetConverted: readonly string[] = [
  'src/engine/bundle/bundle-entries.ts',
  'src/engine/bundle/entry-identities.ts',
  'src/engine/bundle/transaction.ts',
  'src/engine/dispatch.ts',
  'src/engine/interactions/create.ts',
  'src/engine/interactions/delete.ts',
  'src/engine/interactions/history.ts',
  'src/engine/interactions/patch.ts',
  'src/engine/interactions/read.ts',
  'src/engine/interactions/search.ts',
  'src/engine/interactions/update.ts',
  'src/engine/operation-registry.ts',
  'src/engine/preconditions.ts',
  'src/engine/resource-input.ts',
  'src/engine/route.ts',
  'src/engine/search-operations.ts',
  'src/engine/size-limits.ts',
  'src/engine/write-transaction.ts',
  'src/fhirpath/fhirpath-errors.ts',
  'src/fhirpath/fhirpath-functions.ts',
  'src/fhirpath/standard-functions.ts',
  'src/fhirpath/strict-check.ts',
  'src/search/chain-condition.ts',
  'src/search/compile-filter.ts',
  'src/search/composite-condition.ts',
  'src/search/date-condition.ts',
  'src/search/execute-search.ts',
  'src/search/filter-condition.ts',
  'src/search/filter-expression.ts',
  'src/search/includes.ts',
  'src/search/missing-condition.ts',
  'src/search/number-condition.ts',
  'src/search/page-cursor.ts',
  'src/search/reference-condition.ts',
  'src/search/resolve-parameter.ts',
  'src/search/search-cost.ts',
  'src/search/search-indexes.ts',
  'src/search/search-plan.ts',
  'src/search/search-request.ts',
  'src/search/sort-keys.ts',
  'src/search/special-conditions.ts',
  'src/search/string-condition.ts',
  'src/search/token-condition.ts',
  'src/search/uri-condition.ts',
  'src/search/value-prefix.ts',
  'src/validation/packages/package-installer.ts',
  'src/validation/packages/package-plan.ts',
];

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
