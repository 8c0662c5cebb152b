/**
 * Search errors (http://hl7.org/fhir/R4/search.html#errors): unknown parameters are ignored and
 * reported in an OperationOutcome entry under lenient handling (the default) and refused with 400
 * under `Prefer: handling=strict`; malformed values and unsupported modifiers are refused with 400
 * and an OperationOutcome naming the parameter; a search that runs past the configured timeout
 * answers an OperationOutcome instead of hanging.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { usingPostgres } from '../support/test-database.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { issueText, link, matchIds, outcomeEntries, putAll, searchBundle, searchUrl } from './search-cases.js';

let flint: TestFlint;
const STRICT = { headers: { prefer: 'handling=strict' } };

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [
    { resourceType: 'Patient', id: 'e1', name: [{ family: 'Smith' }] },
    { resourceType: 'Patient', id: 'e2', name: [{ family: 'Jones' }] },
  ]);
});
after(async () => { await flint.stop(); });

describe('unknown parameters under lenient handling (the default)', () => {
  it('are ignored and reported in an outcome entry of the searchset', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', 'nonsense=1');
    assert.deepEqual(matchIds(bundle), ['e1', 'e2']);
    const outcomes = outcomeEntries(bundle);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0].resource.resourceType, 'OperationOutcome');
    assert.match(issueText(outcomes[0].resource), /nonsense/);
    assert.ok(outcomes[0].resource.issue.every((issue: any) => issue.severity === 'warning' || issue.severity === 'information'));
  });

  it('leave the known parameters working, and out of the self link', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', 'nonsense=1&family=smith');
    assert.deepEqual(matchIds(bundle), ['e1']);
    const self = decodeURIComponent(link(bundle, 'self') ?? '');
    assert.match(self, /family=smith/);
    assert.doesNotMatch(self, /nonsense/);
  });

  it('are ignored as well when lenient handling is asked for', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', 'nonsense=1', { headers: { prefer: 'handling=lenient' } });
    assert.deepEqual(matchIds(bundle), ['e1', 'e2']);
  });
});

describe('unknown parameters under Prefer: handling=strict', () => {
  const queries: [string, string][] = [
    ['Patient', 'nonsense=1'],
    ['Patient', 'family=smith&nonsense=1'],
    ['Patient', 'organization.nonsense=1'],
    ['Patient', '_has:Observation:patient:nonsense=1'],
    ['Observation', '_include=Observation:nonsense'],
  ];
  for (const [type, query] of queries) {
    it(`${type}?${query} answers 400 naming the parameter`, async () => {
      const answer = await flint.get(searchUrl(`/fhir/${type}`, query), STRICT);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body?.resourceType, 'OperationOutcome');
      assert.match(issueText(answer.body), /nonsense/);
    });
  }

  it('known parameters still answer 200', async () => {
    const bundle = await searchBundle(flint, '/fhir/Patient', 'family=jones', STRICT);
    assert.deepEqual(matchIds(bundle), ['e2']);
    assert.equal(outcomeEntries(bundle).length, 0);
  });
});

describe('malformed values and unsupported modifiers answer 400 under any handling', () => {
  // [type, query, a word the OperationOutcome must name]
  const cases: [string, string, RegExp][] = [
    ['Patient', 'birthdate=2024-13-45', /birthdate/],
    ['Patient', 'birthdate=not-a-date', /birthdate/],
    ['Patient', 'birthdate=xx2024', /birthdate/],
    ['Observation', 'date=2024-03-05T25:00:00Z', /date/],
    ['Patient', '_lastUpdated=2024-99', /_lastUpdated/],
    ['Observation', 'value-quantity=abc', /value-quantity/],
    ['Observation', 'value-quantity=gt|http://unitsofmeasure.org|mg', /value-quantity/],
    ['RiskAssessment', 'probability=abc', /probability/],
    ['RiskAssessment', 'probability=gt', /probability/],
    ['Patient', '_count=-1', /_count/],
    ['Patient', '_count=many', /_count/],
    ['Patient', 'name:foo=x', /name/],
    ['Patient', 'gender:exact=male', /gender/],
    ['Patient', 'birthdate:contains=2024', /birthdate/],
    ['Patient', 'name:missing=maybe', /name/],
    ['Patient', '_sort=nonsense', /_sort|nonsense/],
    ['Patient', '_summary=maybe', /_summary/],
    ['Patient', '_total=lots', /_total/],
    ['Patient', '_filter=name co', /_filter/],
    ['Patient', '_filter=(name eq x', /_filter/],
    ['Patient', '_filter=name xx "y"', /_filter/],
    ['Patient', 'identifier:of-type=MR|123', /identifier/],
    ['Patient', '_has:Observation:patient=1', /_has/],
    ['Observation', 'subject:Nonsense=1', /subject/],
    ['Observation', 'code-value-quantity=http://loinc.org|8480-6', /code-value-quantity/],
  ];
  for (const [type, query, named] of cases) {
    it(`${type}?${query}`, async () => {
      const answer = await flint.get(searchUrl(`/fhir/${type}`, query));
      assert.equal(answer.status, 400, answer.text.slice(0, 600));
      assert.equal(answer.body?.resourceType, 'OperationOutcome');
      assert.equal(answer.body.issue?.[0]?.severity, 'error');
      assert.match(issueText(answer.body), named);
    });
  }
});

describe('an unknown named query (_query) is refused under any handling', () => {
  const cases: [path: string, query: string, headers: Record<string, string>][] = [
    ['/fhir/Patient', '_query=everything-special', {}],
    ['/fhir/Patient', '_query=nope&name=Smith', { prefer: 'handling=lenient' }],
    ['/fhir/Patient', '_query=nope', STRICT.headers],
    ['/fhir', '_query=nope&_type=Patient', {}],
    ['/fhir/Patient/e1/*', '_query=nope', {}],
  ];
  for (const [path, query, headers] of cases) {
    it(`${path}?${query} -> 400 search.unknown-query`, async () => {
      const answer = await flint.get(searchUrl(path, query), { headers });
      assert.equal(answer.status, 400, answer.text);
      assert.deepEqual(issueCodes(answer.body), ['search.unknown-query']);
      assert.deepEqual(answer.body.issue[0].expression, ['_query']);
    });
  }

  it('a conditional update with an unknown _query is refused and writes nothing', async () => {
    const answer = await flint.put('/fhir/Patient?_query=nope', { resourceType: 'Patient', name: [{ family: 'Never' }] });
    assert.equal(answer.status, 400);
    assert.deepEqual(matchIds(await searchBundle(flint, '/fhir/Patient', 'name=Never')), []);
  });
});

describe('a search that runs past the configured timeout', () => {
  const skip = !usingPostgres() && 'the embedded PostgreSQL (PGlite) does not enforce statement_timeout';
  let slow: TestFlint;
  before(async () => {
    if (skip) return;
    slow = await startTestFlint({ searchTimeoutMs: 1 });
    // Enough rows that no search over all of them finishes within a millisecond.
    const entry = Array.from({ length: 3000 }, (_, i) => ({
      resource: {
        resourceType: 'Patient', name: [{ family: `Family${i}`, given: ['Given', `Name${i}`] }],
        address: [{ line: [`${i} Long Street`], city: 'Somewhere' }],
      },
      request: { method: 'POST', url: 'Patient' },
    }));
    const loaded = await slow.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry });
    assert.equal(loaded.status, 200, loaded.text.slice(0, 600));
  });
  after(async () => { await slow?.stop(); });

  it('answers an OperationOutcome, not a hang and not a 200', { skip }, async () => {
    const answer = await slow.get(searchUrl('/fhir/Patient', 'name:contains=zzz&address:contains=zzz&_sort=family&_total=accurate'));
    assert.notEqual(answer.status, 200);
    assert.equal(answer.status, 400, answer.text.slice(0, 600));
    assert.equal(answer.body?.resourceType, 'OperationOutcome');
    assert.ok(answer.body.issue.some((issue: any) => issue.code === 'too-costly' || issue.code === 'timeout'), answer.text);
  });

  it('also when the search is one statement (no total, no includes: no snapshot transaction)', { skip }, async () => {
    const answer = await slow.get(searchUrl('/fhir/Patient', 'name:contains=zzz&address:contains=zzz&_sort=family'));
    assert.equal(answer.status, 400, answer.text.slice(0, 600));
    assert.ok(answer.body.issue.some((issue: any) => issue.code === 'too-costly'), answer.text);
  });
});
