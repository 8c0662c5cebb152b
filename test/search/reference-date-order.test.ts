/**
 * Date sort within one referenced resource (docs/search.md#sorting-within-one-reference): the
 * latest readings of a patient. A search for one target sorted by -date adds the condition on
 * flint_reference_id that the reference-and-date index serves; the answers must be those of the
 * sort itself (http://hl7.org/fhir/R4/search.html#sort: descending by the end of the latest value),
 * whatever form the reference is stored in, page by page, and the id the server derives from a
 * search value must be the one flint_reference_id derives from a stored reference.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { referencedId } from '../../src/search/indexes/reference-date-order.js';
import { link, linkPath, LOINC, orderedIds, putAll, searchBundle, type TestResource } from './search-cases.js';

let flint: TestFlint;

// testConfig sets this base URL.
const OWN_BASE = 'http://flint.test/fhir';

const reading = (id: string, code: string, subject: string | undefined, effective: object): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code }] },
  ...(subject ? { subject: { reference: subject } } : {}), ...effective,
});

const resources: TestResource[] = [
  { resourceType: 'Patient', id: 'lp1' },
  { resourceType: 'Patient', id: 'lp2' },
  { resourceType: 'Group', id: 'lp1', type: 'person', actual: true },
  reading('hr1', '8867-4', 'Patient/lp1', { effectiveDateTime: '2024-03-01T08:00:00Z' }),
  reading('hr2', '8867-4', 'Patient/lp1', { effectiveDateTime: '2024-03-01T09:00:00+01:00' }),
  reading('hr3', '8867-4', `${OWN_BASE}/Patient/lp1`, { effectiveDateTime: '2024-03-02' }),
  reading('hr4', '8867-4', 'Patient/lp1/_history/1', { effectiveInstant: '2024-03-01T12:00:00.000Z' }),
  reading('sp1', '59408-5', 'Patient/lp1', { effectivePeriod: { start: '2024-02-01', end: '2024-03-05' } }),
  reading('sp2', '59408-5', 'Patient/lp1', { effectivePeriod: { start: '2024-03-04' } }),
  reading('nd1', '8867-4', 'Patient/lp1', {}),
  reading('gr1', '8867-4', 'Group/lp1', { effectiveDateTime: '2025-01-01' }),
  reading('ot1', '8867-4', 'http://example.org/fhir/Patient/lp1', { effectiveDateTime: '2025-01-02' }),
  reading('p2a', '8867-4', 'Patient/lp2', { effectiveDateTime: '2025-01-03' }),
];

/** Newest first by the end of each resource's latest value; an open period ends at infinity; no date last. */
const LP1_NEWEST_FIRST = ['sp2', 'sp1', 'hr3', 'hr4', 'hr1', 'hr2', 'nd1'];

const cases: [query: string, expected: string[]][] = [
  ['subject=Patient/lp1&_sort=-date', LP1_NEWEST_FIRST],
  [`subject=${OWN_BASE}/Patient/lp1&_sort=-date`, LP1_NEWEST_FIRST],
  ['subject:Patient=lp1&_sort=-date', LP1_NEWEST_FIRST],
  ['patient=lp1&_sort=-date', LP1_NEWEST_FIRST],
  ['subject=lp1&_sort=-date', ['sp2', 'gr1', ...LP1_NEWEST_FIRST.slice(1)]],
  ['subject=Patient/lp1&code=8867-4&_sort=-date&_count=1', ['hr3']],
  ['subject=Patient/lp1&code=59408-5&_sort=-date&_count=1', ['sp2']],
  ['subject=Patient/lp1&_sort=-date&_count=1', ['sp2']],
  ['subject=Patient/lp1,Patient/lp2&_sort=-date', ['sp2', 'p2a', ...LP1_NEWEST_FIRST.slice(1)]],
  ['subject=http://example.org/fhir/Patient/lp1&_sort=-date', ['ot1']],
  // le: some value starts on or before the day (the period sp1 does).
  ['subject=Patient/lp1&date=le2024-03-01&_sort=-date', ['sp1', 'hr4', 'hr1', 'hr2']],
  ['subject=Patient/lp1&_sort=-date,-_id', ['sp2', 'sp1', 'hr3', 'hr4', 'hr2', 'hr1', 'nd1']],
  // Ascending: by the start of the earliest value (not served by the index; the same rows).
  ['subject=Patient/lp1&_sort=date', ['sp1', 'hr1', 'hr2', 'hr4', 'hr3', 'sp2', 'nd1']],
];

async function explainedSql(query: string): Promise<string> {
  const answer = await flint.get(`/fhir/Observation/$explain?${query}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.parameter.find((entry: any) => entry.name === 'sql').valueString;
}

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, resources);
});
after(async () => { await flint.stop(); });

describe('date sort within one reference', () => {
  for (const [query, expected] of cases) {
    it(`Observation?${query}`, async () => {
      assert.deepEqual(orderedIds(await searchBundle(flint, '/fhir/Observation', query)), expected);
    });
  }

  it('pages through one subject newest first, forwards and backwards', async () => {
    const pages: string[][] = [];
    let bundle = await searchBundle(flint, '/fhir/Observation', 'subject=Patient/lp1&_sort=-date&_count=2');
    for (;;) {
      pages.push(orderedIds(bundle));
      const next = link(bundle, 'next');
      if (!next) break;
      bundle = (await flint.get(linkPath(next))).body;
    }
    assert.deepEqual(pages.flat(), LP1_NEWEST_FIRST);
    const backwards: string[][] = [];
    for (let previous = link(bundle, 'previous'); previous; previous = link(bundle, 'previous')) {
      bundle = (await flint.get(linkPath(previous))).body;
      backwards.unshift(orderedIds(bundle));
    }
    assert.deepEqual(backwards, pages.slice(0, -1));
  });

  it('adds the id condition only for one target sorted by a date descending', async () => {
    assert.match(await explainedSql('subject=Patient/lp1&_sort=-date'), /flint_reference_id\(r0\.resource, ARRAY\['\$\."subject"'\]::text\[\]\) = \$/);
    assert.match(await explainedSql('subject=lp1&code=8867-4&_sort=-date&_count=1'), /flint_reference_id/);
    assert.doesNotMatch(await explainedSql('subject=Patient/lp1&_sort=date'), /flint_reference_id/);
    assert.doesNotMatch(await explainedSql('subject=Patient/lp1,Patient/lp2&_sort=-date'), /flint_reference_id/);
    assert.doesNotMatch(await explainedSql('performer=Practitioner/x&_sort=-date'), /flint_reference_id/);
  });

  it('derives the id of a search value as flint_reference_id derives it from a stored reference', async () => {
    const references = ['Patient/lp1', `${OWN_BASE}/Patient/lp1`, 'Patient/lp1/_history/3', 'http://example.org/fhir/Patient/x.y-1',
      'urn:uuid:0a1b', 'lp1', 'Patient/', 'http://example.org/ValueSet/vs|1.0', 'a/b/Patient/p|x/_history/2'];
    for (const reference of references) {
      const document = sql`jsonb_build_object('subject', jsonb_build_object('reference', ${reference}::text))`;
      const { rows } = await flint.db.query<{ id: string | null; keys: string[] }>(sql`
        SELECT flint_reference_id(${document}, ARRAY['$."subject"']::text[]) AS id, flint_reference_keys(${document}, ARRAY['$."subject"']::text[]) AS keys`);
      const expected = rows[0].keys.map(referencedId);
      assert.equal(rows[0].id, expected[expected.length - 1], reference);
      if (!reference.includes('|')) assert.ok(expected.every((id) => id === rows[0].id), `${reference}: ${expected.join(' ')}`);
    }
  });
});
