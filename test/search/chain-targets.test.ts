/**
 * Chains by the number of their targets (http://hl7.org/fhir/R4/search.html#chaining): up to
 * FEW_CHAIN_TARGETS targets a chain is a key array, beyond that a probe of each candidate's
 * references by the targets' primary key. Both
 * must match exactly what the chain means (relative, own-base absolute and versioned references
 * to a target; not another server's URL), the same ids as a reference search naming the targets.
 * Under a row rule, the targets of either plan are only those the caller may see.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_ROWS } from '../../src/core/index.js';
import { FEW_CHAIN_TARGETS } from '../../src/search/index.js';
import { asCaller, criteria, everyRule, idsOf, rowsOf } from '../support/row-rules.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { link, linkPath, LOINC, matchIds, searchCases, searchIds, type TestResource } from './search-cases.js';

let flint: TestFlint;
const server = () => flint;

// testConfig sets this base URL.
const OWN_BASE = 'http://flint.test/fhir';
const MANY = FEW_CHAIN_TARGETS + 5;
const manyIds = Array.from({ length: MANY }, (_, k) => `cm${String(k + 1).padStart(3, '0')}`);

const patient = (id: string, family: string): TestResource => ({ resourceType: 'Patient', id, name: [{ family }] });
const observation = (id: string, code: string, subject: string): TestResource => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code }] }, subject: { reference: subject },
});

const resources: TestResource[] = [
  ...manyIds.map((id) => patient(id, 'Manyname')),
  patient('cf1', 'Fewname'), patient('cf2', 'Fewname'), patient('cx1', 'Other'),
  observation('om1', '8867-4', 'Patient/cm001'),
  observation('om2', '8867-4', `${OWN_BASE}/Patient/cm002`),
  observation('om3', '29463-7', 'Patient/cm003/_history/1'),
  observation('om4', '8867-4', 'http://example.org/fhir/Patient/cm004'),
  observation('om5', '8867-4', 'Patient/cx1'),
  observation('om6', '29463-7', `Patient/${manyIds[MANY - 1]}`),
  observation('om7', '8867-4', `Group/${manyIds[0]}`),
  observation('of1', '8867-4', 'Patient/cf1'),
  observation('of2', '29463-7', `${OWN_BASE}/Patient/cf2`),
  observation('of3', '8867-4', 'http://example.org/fhir/Patient/cf1'),
];

async function pageSql(query: string): Promise<string> {
  const answer = await flint.get(`/fhir/Observation/$explain?${query}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.parameter.find((entry: any) => entry.name === 'sql').valueString;
}

/** The resources in one transaction (hundreds of Patients). */
async function storeAll(list: TestResource[]): Promise<void> {
  const entry = list.map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } }));
  const answer = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry });
  assert.equal(answer.status, 200, answer.text.slice(0, 600));
}

before(async () => {
  flint = await startTestFlint();
  await storeAll(resources);
});
after(async () => { await flint.stop(); });

describe('chains through few and many targets', () => {
  searchCases(server, 'Observation', [
    ['subject:Patient.name=manyname', ['om1', 'om2', 'om3', 'om6']],
    ['subject:Patient.name=manyname&code=29463-7', ['om3', 'om6']],
    ['subject.name=manyname', ['om1', 'om2', 'om3', 'om6']],
    ['patient.name=manyname', ['om1', 'om2', 'om3', 'om6']],
    ['subject:Patient.name=fewname', ['of1', 'of2']],
    ['subject:Patient.name=fewname&code=8867-4', ['of1']],
    ['subject:Patient.name=manyname,fewname', ['om1', 'om2', 'om3', 'om6', 'of1', 'of2']],
    ['subject:Patient.name=nobody', []],
    ['subject:Patient.name=manyname&subject:Patient.name=fewname', []],
  ]);

  it('match the same ids as a reference search naming the targets', async () => {
    const named = await searchIds(flint, '/fhir/Observation', `subject=${manyIds.map((id) => `Patient/${id}`).join(',')}`);
    assert.deepEqual(await searchIds(flint, '/fhir/Observation', 'subject:Patient.name=manyname'), named);
    const few = await searchIds(flint, '/fhir/Observation', 'subject=Patient/cf1,Patient/cf2');
    assert.deepEqual(await searchIds(flint, '/fhir/Observation', 'subject:Patient.name=fewname'), few);
  });

  it('look up few targets as a key array and probe the targets of many by primary key', async () => {
    const few = await pageSql('subject:Patient.name=fewname');
    assert.match(few, /flint_reference_keys\(r\d+\.resource, ARRAY\['\$\."subject"'\]::text\[\]\) && ARRAY\(SELECT unnest\(\$1::text\[\]\)\)/);
    assert.doesNotMatch(few, /"patient"/);
    assert.doesNotMatch(few, /AS r\d+_key/);
    const many = await pageSql('subject:Patient.name=manyname');
    assert.match(many, /EXISTS \(SELECT 1 FROM unnest\(flint_reference_keys\(r\d+\.resource, [^)]*\)\) AS (r\d+_key) WHERE EXISTS \(SELECT 1 FROM "patient" AS (r\d+) WHERE \2\.id = CASE WHEN starts_with\(\1, /);
  });

  it('page through many targets without repeating or skipping a match', async () => {
    const seen: string[] = [];
    let bundle = (await flint.get('/fhir/Observation?subject:Patient.name=manyname&_count=1')).body;
    for (;;) {
      seen.push(...matchIds(bundle));
      const next = link(bundle, 'next');
      if (!next) break;
      bundle = (await flint.get(linkPath(next))).body;
    }
    assert.deepEqual(seen, ['om1', 'om2', 'om3', 'om6']);
  });
});

describe('chains through many targets under a row rule', () => {
  // Every Manyname patient but cm002: still many targets, so the chain probes them.
  const rows = rowsOf({ Observation: ALL_ROWS, Patient: everyRule(criteria('name=manyname'), criteria('_id:not=cm002')) });
  const asRuled = (url: string) => asCaller(flint.ctx, rows)('GET', url);

  it('probe only the targets the caller may see', async () => {
    const answer = await asRuled('Observation?subject:Patient.name=manyname');
    assert.deepEqual(idsOf(answer.body), ['om1', 'om3', 'om6']);
    const explained = await asRuled('Observation/$explain?subject:Patient.name=manyname');
    const sql = explained.body.parameter.find((entry: any) => entry.name === 'sql').valueString;
    assert.match(sql, /AS r\d+_key WHERE EXISTS \(SELECT 1 FROM "patient"/);
  });
});
