/**
 * docs/errors.md is what the error catalogues say (scripts/errors-doc.ts writes it): a code added,
 * removed or changed in a catalogue without the page being written again fails here. The rendering
 * itself is checked on a made-up catalogue.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERRORS_DOC, renderErrorsDoc, sourceCatalogueEntries } from '../../scripts/errors-doc.js';

describe('docs/errors.md', () => {
  it('lists every code of the catalogues, as they declare it (run npx tsx scripts/errors-doc.ts after a change)', async () => {
    const expected = renderErrorsDoc(await sourceCatalogueEntries());
    const actual = readFileSync(ERRORS_DOC, 'utf8');
    assert.equal(actual, expected);
  });

  it('renders one table per module with status and issue type (the category\'s, unless the code names its own)', () => {
    const page = renderErrorsDoc([
      { module: 'a', code: 'a.gone', category: 'not-found', summary: 'Gone | away' },
      { module: 'a', code: 'a.taken', category: 'conflict', issueType: 'duplicate', summary: 'Taken' },
      { module: 'b', code: 'b.busy', category: 'busy', summary: 'Busy' },
    ]);
    assert.match(page, /## a\n\n\| code \| status \| issue type \| summary \|\n\|---\|---\|---\|---\|\n\| `a\.gone` \| 404 \| not-found \| Gone \\\| away \|\n\| `a\.taken` \| 409 \| duplicate \| Taken \|\n\n## b\n/);
    assert.match(page, /\| `b\.busy` \| 503 \| transient \| Busy \|\n$/);
  });
});
