/**
 * The functions of schema fhir on the test database: FHIR JSON of a stored row (equal to what the
 * REST API returns), references, codings, extensions, and the FHIRPath helpers of views, which
 * must give what the in-memory runner gives for the same input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDatabaseError } from '../../src/db/index.js';
import { dateBoundary, dateTimeBoundary, decimalBoundary, timeBoundary } from '../../src/sof/memory/boundaries.js';
import { referenceKey } from '../../src/sof/index.js';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const { rows } = await flint.db.query<{ v: T }>(query);
  return rows[0].v;
}

describe('FHIR JSON of a row', () => {
  it('fhir.resource(row) is the resource the REST API reads', async () => {
    const created = (await flint.post('/fhir/Patient', { resourceType: 'Patient', meta: { tag: [{ code: 't' }] }, gender: 'female', name: [{ family: 'Ng' }] })).body;
    const read = (await flint.get(`/fhir/Patient/${created.id}`)).body;
    assert.deepEqual(await one(sql`SELECT fhir.resource(p) AS v FROM patient p WHERE id = ${created.id}`), read);
    assert.deepEqual(await one(sql`SELECT fhir.resource(resource_type, id, txid, ts, resource) AS v FROM patient WHERE id = ${created.id}`), read);
  });
});

describe('references', () => {
  const cases: [string, string | null][] = [
    ['Patient/123', null], ['Patient/123', 'Patient'], ['Patient/123', 'Group'], ['Patient/a.b-1/_history/2', 'Patient'],
    ['http://other.org/fhir/Patient/123', null], ['#c', null], ['urn:uuid:4f3e', null], ['patient/123', null],
    [`Patient/${'a'.repeat(100)}`, 'Patient'], ['Patient/1/_history/', null], ['Patient/1/extra', null], ['Patient/', null],
    ['Patient/a b', null], ['Patient/1', 'a.*'], ['Patient/1', 'Pat'], ['patient/1', 'patient'],
  ];
  for (const [reference, type] of cases) {
    it(`fhir.reference_key(${reference}, ${type}) agrees with the in-memory rule`, async () => {
      const key = await one<string | null>(sql`SELECT fhir.reference_key(${reference}, ${type}::text) AS v`);
      assert.equal(key ?? undefined, referenceKey(reference, type ?? undefined));
    });
  }

  it('fhir.references lists every reference of a resource with its type and id', async () => {
    const resource = { subject: { reference: 'Patient/p1' }, performer: [{ reference: 'Practitioner/d1' }, { display: 'x' }], contained: [{ resourceType: 'Device', owner: { reference: 'Organization/o1' } }] };
    const { rows } = await flint.db.query(sql`SELECT * FROM fhir.references(${JSON.stringify(resource)}::jsonb) ORDER BY reference`);
    assert.deepEqual(rows, [
      { reference: 'Organization/o1', resource_type: 'Organization', id: 'o1' },
      { reference: 'Patient/p1', resource_type: 'Patient', id: 'p1' },
      { reference: 'Practitioner/d1', resource_type: 'Practitioner', id: 'd1' },
    ]);
  });
});

describe('codings and extensions', () => {
  const concept = JSON.stringify({ coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic' }, { system: 'urn:local', code: 'sys' }] });
  const element = JSON.stringify({ extension: [{ url: 'urn:a', valueString: 'first' }, { url: 'urn:b', valueCoding: { code: 'F' } }] });

  it('reads codings', async () => {
    const { rows } = await flint.db.query(sql`SELECT * FROM fhir.codings(${concept}::jsonb)`);
    assert.deepEqual(rows, [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic' }, { system: 'urn:local', code: 'sys', display: null }]);
    assert.equal(await one(sql`SELECT fhir.code(${concept}::jsonb, 'urn:local') AS v`), 'sys');
    assert.equal(await one(sql`SELECT fhir.code(${concept}::jsonb) AS v`), '8480-6');
    assert.equal(await one(sql`SELECT fhir.has_code(${concept}::jsonb, 'http://loinc.org', '8480-6') AS v`), true);
    assert.equal(await one(sql`SELECT fhir.has_code(${concept}::jsonb, 'urn:local', '8480-6') AS v`), false);
    assert.equal(await one(sql`SELECT fhir.has_code(${concept}::jsonb, NULL, 'sys') AS v`), true);
  });

  it('reads extensions', async () => {
    assert.deepEqual(await one(sql`SELECT fhir.extension(${element}::jsonb, 'urn:b') AS v`), { url: 'urn:b', valueCoding: { code: 'F' } });
    assert.deepEqual(await one(sql`SELECT fhir.extension_value(${element}::jsonb, 'urn:b') AS v`), { code: 'F' });
    assert.equal(await one(sql`SELECT fhir.extension_value(${element}::jsonb, 'urn:a') AS v`), 'first');
    assert.equal(await one(sql`SELECT fhir.extension_value(${element}::jsonb, 'urn:none') AS v`), null);
  });
});

describe('FHIRPath helpers agree with the in-memory runner', () => {
  const decimals = ['1.0', '1', '1.587', '-1.0', '0', '12.50'];
  for (const text of decimals) {
    it(`decimal boundaries of ${text}`, async () => {
      for (const low of [true, false]) {
        const value = await one<string>(sql`SELECT fhir.fp_boundary_decimal(${text}::numeric, ${low}) AS v`);
        assert.equal(Number(value), decimalBoundary(text, low));
      }
    });
  }
  const temporal: [string, string, (text: string, low: boolean) => string | undefined][] = [
    ['fp_boundary_date', '1970-06', dateBoundary], ['fp_boundary_date', '2024-02', dateBoundary], ['fp_boundary_date', '2023', dateBoundary],
    ['fp_boundary_datetime', '2010-10-10', dateTimeBoundary], ['fp_boundary_datetime', '2010-10-10T10:30', dateTimeBoundary],
    ['fp_boundary_datetime', '2015-02-07T13:28:17.2+02:00', dateTimeBoundary], ['fp_boundary_datetime', '2015', dateTimeBoundary],
    ['fp_boundary_time', '12:34', timeBoundary], ['fp_boundary_time', '12:34:00.5', timeBoundary],
  ];
  for (const [fn, text, rule] of temporal) {
    it(`${fn}(${text})`, async () => {
      for (const low of [true, false]) {
        const query = { date: sql`fhir.fp_boundary_date`, datetime: sql`fhir.fp_boundary_datetime`, time: sql`fhir.fp_boundary_time` }[fn.slice(12)]!;
        assert.equal(await one(sql`SELECT ${query}(${text}, ${low}) AS v`), rule(text, low));
      }
    });
  }

  const comparisons: [string, string, number | null][] = [
    ['2016-11-12', '2016-11-12', 0], ['2016-11-12', '2023-02-08', -1], ['2016-11', '2016-11-12', null], ['2017', '2016-11-12', 1],
    ['2015-02-07T13:28:17.239+02:00', '2015-02-07T11:28:17.239Z', 0], ['2015-02-07T13:28:17+02:00', '2015-02-07T12:28:17+00:00', -1],
    ['18:12:00', '18:32:00', -1], ['18:12', '18:12:00', null], ['2016-11-12', '18:12', null],
  ];
  for (const [a, b, expected] of comparisons) {
    it(`fp_compare(${a}, ${b}) = ${expected}`, async () => {
      assert.equal(await one(sql`SELECT fhir.fp_compare(${a}, ${b}) AS v`), expected);
    });
  }

  it('fp_singleton returns the one item and fails with SOF01 on several', async () => {
    assert.equal(await one(sql`SELECT fhir.fp_singleton('["a"]'::jsonb) AS v`), 'a');
    assert.equal(await one(sql`SELECT fhir.fp_singleton('[]'::jsonb) AS v`), null);
    await assert.rejects(flint.db.query(sql`SELECT fhir.fp_singleton('["a","b"]'::jsonb, 'family')`),
      (error: unknown) => isDatabaseError(error) && error.code === 'SOF01' && /family/.test(error.message));
  });
});
