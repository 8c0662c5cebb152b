/**
 * The SQL functions search compiles to (each parameter type's key functions, installed by
 * src/search/parameters/key-functions.ts), called directly on FHIR fragments: the strings, token
 * keys, references, date ranges, numbers and quantities each returns;
 * NULL or empty for missing values; the same date ranges whatever the session's TimeZone and
 * DateStyle; and expression indexes on them that the planner uses for the same expressions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSystemSchema, type Database, type Queryable } from '../../src/db/index.js';
import { installSearchFunctions, SEARCH_FUNCTIONS_DDL } from '../../src/search/parameters/key-functions.js';
import { jsonParam, raw, sql } from '../../src/sql/index.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

let testDb: TestDatabase;
let db: Database;

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const pathsLiteral = (paths: string[]): string => `ARRAY[${paths.map(literal).join(', ')}]::text[]`;

/** fn(doc, paths) as JSON (arrays and jsonb parsed, text as a string, NULL as null). */
async function call(fn: string, doc: unknown, paths: string[], on: Queryable = db): Promise<unknown> {
  const { rows } = await on.query<{ v: unknown }>(sql`SELECT to_jsonb(${raw(fn)}(${jsonParam(doc)}::jsonb, ${raw(pathsLiteral(paths))})) AS v`);
  return rows[0]?.v;
}

/** Date ranges as 'lower/upper' in UTC ISO form, whatever the session settings. */
async function ranges(doc: unknown, paths: string[], on: Queryable = db): Promise<string[]> {
  const { rows } = await on.query<{ v: string[] }>(sql`
    SELECT coalesce(jsonb_agg(test_range_text(r)), '[]') AS v
    FROM unnest(flint_date_ranges(${jsonParam(doc)}::jsonb, ${raw(pathsLiteral(paths))})) AS r`);
  return rows[0]?.v ?? [];
}

async function dateRange(value: string, on: Queryable = db): Promise<string | null> {
  const { rows } = await on.query<{ v: string | null }>(sql`SELECT test_range_text(flint_date_range(${value})) AS v`);
  return rows[0]?.v ?? null;
}

/** What unaccent and lower make of the test strings (unaccent also turns ß into ss). */
const folded = (value: string): string => value.normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').toLowerCase();
const sorted = (value: unknown): unknown => (Array.isArray(value) ? [...value].sort() : value);
/** flint_*_text splits back into its values (sorted): chr(31) before each. */
const parts = (value: unknown): string[] | null => (typeof value === 'string' ? value.split('\u001f').slice(1).sort() : null);

before(async () => {
  testDb = await openTestDatabase({ empty: true });
  db = testDb.db;
  await createSystemSchema(db);
  await installSearchFunctions(db);
  await installSearchFunctions(db);
  await db.query(raw(`CREATE FUNCTION test_instant(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN isfinite(t) THEN replace(to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '.000Z', 'Z') ELSE t::text END`));
  await db.query(raw(`CREATE FUNCTION test_range_text(r tstzrange) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN test_instant(lower(r)) || '/' || test_instant(upper(r))`));
});

after(async () => {
  await testDb?.close();
});

const name = { use: 'official', family: 'Müller', given: ['José', 'María'], prefix: ['Dr.'], suffix: ['PhD'], text: 'Dr. José Müller' };
const address = { use: 'home', line: ['Hauptstraße 5', 'Hinterhaus'], city: 'Köln', district: 'Innenstadt', state: 'NRW', postalCode: '50667', country: 'DE' };
const patient = { name: [name, { text: 'Pepe' }], address: [address], gender: 'male', active: true, deceasedBoolean: false };

describe('string functions', () => {
  const cases: [doc: unknown, paths: string[], exact: string[]][] = [
    [patient, ['$.name'], ['Dr.', 'Dr. José Müller', 'José', 'María', 'Müller', 'Pepe', 'PhD']],
    [patient, ['$.address'], ['50667', 'DE', 'Hauptstraße 5', 'Hinterhaus', 'Innenstadt', 'Köln', 'NRW']],
    [patient, ['$.name.family', '$.gender'], ['Müller', 'male']],
    [{ title: 'Ça va' }, ['$.title'], ['Ça va']],
    [{ code: { coding: [{ code: 'x' }], text: 'Not a name' } }, ['$.code'], []],
    [{ valueQuantity: { value: 1, unit: 'mg' } }, ['$.valueQuantity'], []],
    [patient, ['$.missing'], []],
  ];
  for (const [doc, paths, exact] of cases) {
    it(`${paths.join(', ')} of ${JSON.stringify(doc).slice(0, 50)}`, async () => {
      assert.deepEqual(sorted(await call('flint_string_exact', doc, paths)), [...exact].sort());
      const text = await call('flint_string_text', doc, paths);
      if (exact.length === 0) assert.equal(text, null);
      else assert.deepEqual(parts(text), exact.map(folded).sort());
    });
  }

  it('flint_norm folds case and accents', async () => {
    const { rows } = await db.query<{ v: string }>(sql`SELECT flint_norm(${'Ÿvès MÜLLER-Çà'}) AS v`);
    assert.equal(rows[0]?.v, 'yves muller-ca');
  });

  it('matches a prefix of any value after chr(31), and anywhere with contains', async () => {
    const test = async (pattern: string) => {
      const { rows } = await db.query<{ v: boolean }>(sql`SELECT flint_string_text(${jsonParam(patient)}::jsonb, ${raw(pathsLiteral(['$.name']))}) LIKE ${pattern} AS v`);
      return rows[0]?.v;
    };
    assert.equal(await test('%\u001fjos%'), true);
    assert.equal(await test('%\u001fdr. jose m%'), true);
    assert.equal(await test('%\u001fller%'), false);
    assert.equal(await test('%ller%'), true);
  });
});

describe('token functions', () => {
  const concept = { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }, { code: 'HR', display: 'Puls' }, { system: 'http://loinc.org', code: '8889-8' }], text: 'Herzfrequenz' };
  const identifiers = [{ system: 'urn:oid:1.2.36', value: '12345', type: { text: 'Medical Record Number' } }, { value: 'A-1' }];
  const cases: [doc: unknown, paths: string[], keys: string[]][] = [
    [{ code: concept }, ['$.code'], ['8867-4', 'http://loinc.org|8867-4', 'http://loinc.org|', 'HR', '|HR', '8889-8', 'http://loinc.org|8889-8']],
    [{ identifier: identifiers }, ['$.identifier'], ['12345', 'urn:oid:1.2.36|12345', 'urn:oid:1.2.36|', 'A-1', '|A-1']],
    [{ telecom: [{ system: 'phone', value: '+49 30 1234' }] }, ['$.telecom'], ['+49 30 1234', 'phone|+49 30 1234', 'phone|']],
    [{ class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } }, ['$.class'],
      ['AMB', 'http://terminology.hl7.org/CodeSystem/v3-ActCode|AMB', 'http://terminology.hl7.org/CodeSystem/v3-ActCode|']],
    [patient, ['$.gender', '$.active', '$.deceasedBoolean'], ['male', '|male', 'true', '|true', 'false', '|false']],
    [{ status: 'final', id: 'x1' }, ['$.status'], ['final', '|final']],
    [{ extension: [{ url: 'http://x/race', valueCode: 'a' }, { url: 'http://x/other', valueCode: 'b' }] },
      ['$.extension ? (@.url == "http://x/race").valueCode'], ['a', '|a']],
    [{ valueQuantity: { value: 5, system: 'http://unitsofmeasure.org', code: 'mg' } }, ['$.valueQuantity'], ['mg', 'http://unitsofmeasure.org|mg', 'http://unitsofmeasure.org|']],
    [{ code: { text: 'text only' } }, ['$.code'], []],
    [{ code: concept }, ['$.missing'], []],
  ];
  for (const [doc, paths, keys] of cases) {
    it(`keys of ${paths.join(', ')} in ${JSON.stringify(doc).slice(0, 50)}`, async () => {
      const found = await call('flint_token_keys', doc, paths) as string[];
      assert.deepEqual(found.length, new Set(found).size, 'duplicates');
      assert.deepEqual(sorted(found), [...keys].sort());
    });
  }

  it('keeps many keys unique, in the order of their first occurrence', async () => {
    const values = Array.from({ length: 300 }, (_, i) => `v${i % 100}`);
    const found = await call('flint_token_keys', { identifier: values.map((value) => ({ system: 's', value })) }, ['$.identifier']);
    const expected = ['v0', 's|v0', 's|', ...Array.from({ length: 99 }, (_, i) => [`v${i + 1}`, `s|v${i + 1}`]).flat()];
    assert.deepEqual(found, expected);
  });

  it(':text reads CodeableConcept.text, Coding.display and Identifier.type.text', async () => {
    assert.deepEqual(parts(await call('flint_token_text', { code: concept }, ['$.code'])), ['heart rate', 'herzfrequenz', 'puls']);
    assert.deepEqual(parts(await call('flint_token_text', { identifier: identifiers }, ['$.identifier'])), ['medical record number']);
    assert.equal(await call('flint_token_text', { status: 'final' }, ['$.status']), null);
  });
});

describe('flint_reference_keys', () => {
  const cases: [doc: unknown, paths: string[], keys: string[]][] = [
    [{ subject: { reference: 'Patient/123' } }, ['$.subject'], ['Patient/123']],
    [{ subject: { reference: 'Patient/123/_history/4' } }, ['$.subject'], ['Patient/123/_history/4', 'Patient/123']],
    [{ subject: { reference: 'http://example.org/fhir/Patient/a-1.b' } }, ['$.subject'], ['http://example.org/fhir/Patient/a-1.b']],
    [{ subject: { reference: 'https://x.org/fhir/Patient/7/_history/2' } }, ['$.subject'], ['https://x.org/fhir/Patient/7/_history/2']],
    [{ subject: { reference: '#pat' } }, ['$.subject'], ['#pat']],
    [{ subject: { reference: 'urn:uuid:0b7e1a9c-3c36-4b4f-8d0a-2f7c9a7e0c11' } }, ['$.subject'], ['urn:uuid:0b7e1a9c-3c36-4b4f-8d0a-2f7c9a7e0c11']],
    [{ subject: { display: 'Someone' } }, ['$.subject'], []],
    [{ performer: [{ reference: 'Practitioner/1' }, { reference: 'Organization/2' }, { reference: 'Practitioner/1' }] }, ['$.performer'],
      ['Practitioner/1', 'Organization/2']],
    [{ performer: [{ reference: 'Practitioner/1' }, { reference: 'http://x/Patient/3' }] },
      ['$.performer ? (@.reference like_regex "^(.*/)?Patient/")'], ['http://x/Patient/3']],
    [{ instantiatesCanonical: ['http://x.org/Questionnaire/q|2.0', 'http://x.org/PlanDefinition/p'] }, ['$.instantiatesCanonical'],
      ['http://x.org/Questionnaire/q|2.0', 'http://x.org/Questionnaire/q', 'http://x.org/PlanDefinition/p']],
  ];
  for (const [doc, paths, keys] of cases) {
    it(`keys of ${JSON.stringify(doc).slice(0, 70)}`, async () => {
      assert.deepEqual(sorted(await call('flint_reference_keys', doc, paths)), [...keys].sort());
    });
  }

  it('keeps many keys unique, in the order of their first occurrence', async () => {
    const performer = Array.from({ length: 300 }, (_, i) => ({ reference: `Practitioner/p${i % 100}/_history/1` }));
    const expected = Array.from({ length: 100 }, (_, i) => [`Practitioner/p${i}/_history/1`, `Practitioner/p${i}`]).flat();
    assert.deepEqual(await call('flint_reference_keys', { performer }, ['$.performer']), expected);
  });
});

describe('date functions', () => {
  const values: [value: string, range: string | null][] = [
    ['2024', '2024-01-01T00:00:00Z/2025-01-01T00:00:00Z'],
    ['2024-02', '2024-02-01T00:00:00Z/2024-03-01T00:00:00Z'],
    ['2024-12', '2024-12-01T00:00:00Z/2025-01-01T00:00:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z/2024-03-01T00:00:00Z'],
    ['2024-03-10', '2024-03-10T00:00:00Z/2024-03-11T00:00:00Z'],
    ['2024-03-05T10:00:00+02:00', '2024-03-05T08:00:00Z/2024-03-05T08:00:01Z'],
    ['2024-03-05T23:30:00-05:00', '2024-03-06T04:30:00Z/2024-03-06T04:30:01Z'],
    ['2024-11-03T01:30:00', '2024-11-03T01:30:00Z/2024-11-03T01:30:01Z'],
    ['2024-03-05T10:00:00.123Z', '2024-03-05T10:00:00.123Z/2024-03-05T10:00:00.124Z'],
    ['2024-03-05T10:00:00.5-03:30', '2024-03-05T13:30:00.500Z/2024-03-05T13:30:00.501Z'],
    ['2024-03-05T10:00Z', '2024-03-05T10:00:00Z/2024-03-05T10:01:00Z'],
    ['2024-12-31T23:59:60Z', '2025-01-01T00:00:00Z/2025-01-01T00:00:01Z'],
    ['2023-02-29', null], ['2100-02-29', null], ['2024-04-31', null], ['2024-13', null], ['2024-1', null], ['0000', null],
    ['2024-03-05T24:00:00Z', null], ['2024-03-05T10:00:00+15:00', null], ['2024-03-05T10:00:00.Z', null],
    ['2024-03-05Z', null], ['garbage', null], ['', null],
  ];
  for (const [value, range] of values) {
    it(`flint_date_range('${value}')`, async () => assert.equal(await dateRange(value), range));
  }

  const docs: [doc: unknown, paths: string[], expected: string[]][] = [
    [{ birthDate: '1970-05' }, ['$.birthDate'], ['1970-05-01T00:00:00Z/1970-06-01T00:00:00Z']],
    [{ effectivePeriod: { start: '2024-01-01', end: '2024-01-31' } }, ['$.effectiveDateTime', '$.effectivePeriod'],
      ['2024-01-01T00:00:00Z/2024-02-01T00:00:00Z']],
    [{ period: { start: '2024-01-01T10:00:00+01:00' } }, ['$.period'], ['2024-01-01T09:00:00Z/infinity']],
    [{ period: { end: '2024' } }, ['$.period'], ['-infinity/2025-01-01T00:00:00Z']],
    [{ period: { id: 'empty' } }, ['$.period'], []],
    [{ period: { start: '2024-02', end: '2024-01' } }, ['$.period'], []],
    [{ period: { start: 'soon', end: '2024-01' } }, ['$.period'], []],
    [{ occurrenceTiming: { event: ['2024-05-01', '2024-05-03T10:00:00Z'], repeat: { boundsPeriod: { start: '2024-05-01', end: '2024-06-30' } } } },
      ['$.occurrenceTiming'],
      ['2024-05-01T00:00:00Z/2024-05-03T10:00:01Z', '2024-05-01T00:00:00Z/2024-07-01T00:00:00Z']],
    [{ effectiveDateTime: ['2024-01-01', 'not a date'] }, ['$.effectiveDateTime'], ['2024-01-01T00:00:00Z/2024-01-02T00:00:00Z']],
    [{ effectiveDateTime: '2024' }, ['$.missing'], []],
  ];
  for (const [doc, paths, expected] of docs) {
    it(`flint_date_ranges of ${JSON.stringify(doc).slice(0, 60)}`, async () => assert.deepEqual(await ranges(doc, paths), expected));
  }

  it('flint_date_envelope covers every range, NULL when there is none', async () => {
    const envelope = async (doc: unknown, paths: string[]) => {
      const { rows } = await db.query<{ v: string | null }>(sql`SELECT test_range_text(flint_date_envelope(${jsonParam(doc)}::jsonb, ${raw(pathsLiteral(paths))})) AS v`);
      return rows[0]?.v ?? null;
    };
    assert.equal(await envelope(docs[7]?.[0], ['$.occurrenceTiming']), '2024-05-01T00:00:00Z/2024-07-01T00:00:00Z');
    assert.equal(await envelope({ a: '2020', b: { end: '2019-06' } }, ['$.a', '$.b']), '-infinity/2021-01-01T00:00:00Z');
    assert.equal(await envelope({ a: '2020' }, ['$.b']), null);
  });

  it('gives the same ranges whatever the TimeZone and DateStyle', async () => {
    const expected = await Promise.all(values.map(([value]) => dateRange(value)));
    const timing = await ranges(docs[7]?.[0], ['$.occurrenceTiming']);
    await db.transaction(async (tx) => {
      await tx.query(raw("SET LOCAL TimeZone = 'America/New_York'"));
      await tx.query(raw("SET LOCAL DateStyle = 'SQL, DMY'"));
      assert.deepEqual(await Promise.all(values.map(([value]) => dateRange(value, tx))), expected);
      assert.deepEqual(await ranges(docs[7]?.[0], ['$.occurrenceTiming'], tx), timing);
    });
  });
});

describe('number and quantity functions', () => {
  it('flint_numbers reads numbers and Quantity values', async () => {
    assert.deepEqual(await call('flint_numbers', { valueInteger: 42 }, ['$.valueInteger']), [42]);
    assert.deepEqual(await call('flint_numbers', { valueQuantity: { value: 5.25, unit: 'mg' } }, ['$.valueQuantity']), [5.25]);
    assert.deepEqual(await call('flint_numbers', { probability: [0.1, 0.75] }, ['$.probability']), [0.1, 0.75]);
    assert.deepEqual(await call('flint_numbers', { valueString: '5' }, ['$.valueString']), []);
  });

  it('flint_quantities reads Quantity, Age and Money', async () => {
    const doc = {
      valueQuantity: { value: 120.5, comparator: '<', unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      onsetAge: { value: 40, unit: 'yr' },
      price: { value: 9.99, currency: 'EUR' },
    };
    assert.deepEqual(await call('flint_quantities', doc, ['$.valueQuantity', '$.onsetAge', '$.price']), [
      { value: 120.5, system: 'http://unitsofmeasure.org', code: 'mm[Hg]', unit: 'mmHg' },
      { value: 40, system: null, code: null, unit: 'yr' },
      { value: 9.99, system: null, code: 'EUR', unit: null },
    ]);
    assert.deepEqual(await call('flint_quantities', { valueString: 'x' }, ['$.valueString', '$.missing']), []);
  });
});

describe('missing input', () => {
  for (const [fn, empty] of [
    ['flint_string_text', null], ['flint_string_exact', []], ['flint_token_keys', []], ['flint_token_text', null],
    ['flint_reference_keys', []], ['flint_date_ranges', []], ['flint_date_envelope', null], ['flint_numbers', []], ['flint_quantities', []],
  ] as const) {
    it(`${fn} of a NULL document, NULL paths or a NULL path`, async () => {
      const { rows } = await db.query<Record<string, unknown>>(raw(`SELECT to_jsonb(${fn}(NULL, ARRAY['$.a'])) AS a,
        to_jsonb(${fn}('{"a": 1}', NULL)) AS b, to_jsonb(${fn}('{"a": 1}', ARRAY[NULL]::text[])) AS c`));
      assert.deepEqual(rows[0], { a: empty, b: empty, c: empty });
    });
  }
});

describe('expression indexes', () => {
  const codePaths = pathsLiteral(['$.code']);
  const subjectPaths = pathsLiteral(['$.subject']);
  const namePaths = pathsLiteral(['$.name']);
  const datePaths = pathsLiteral(['$.effectiveDateTime', '$.effectivePeriod']);
  const indexes = [
    ['fn_t_token', `USING gin (flint_token_keys(resource, ${codePaths}))`],
    ['fn_t_reference', `USING gin (flint_reference_keys(resource, ${subjectPaths}))`],
    ['fn_t_string', `USING gin (flint_string_text(resource, ${namePaths}) gin_trgm_ops)`],
    ['fn_t_exact', `USING gin (flint_string_exact(resource, ${namePaths}))`],
    ['fn_t_date', `USING gist (flint_date_envelope(resource, ${datePaths}))`],
  ];
  /** The index that must serve a condition, and which of the generated rows (by number) it matches. */
  const queries: [index: string, condition: string, matches: (i: number) => boolean][] = [
    ['fn_t_token', `flint_token_keys(resource, ${codePaths}) && ARRAY['http://loinc.org|8867-4']`, (i) => i % 3 === 0],
    ['fn_t_reference', `flint_reference_keys(resource, ${subjectPaths}) && ARRAY['Patient/p1']`, (i) => i % 3 === 1],
    ['fn_t_string', `flint_string_text(resource, ${namePaths}) LIKE '%' || chr(31) || 'mull%'`, (i) => i % 3 === 2],
    ['fn_t_exact', `flint_string_exact(resource, ${namePaths}) @> ARRAY['Müller']`, (i) => i % 3 === 2],
    ['fn_t_date', `flint_date_envelope(resource, ${datePaths}) && tstzrange('2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z')`,
      (i) => i % 4 === 3 && i % 7 === 2],
  ];
  const rowCount = 300;

  before(async () => {
    await db.query(raw('CREATE TABLE fn_t (id text PRIMARY KEY, resource jsonb NOT NULL)'));
    for (let i = 0; i < rowCount; i++) {
      const resource = {
        code: { coding: [{ system: 'http://loinc.org', code: i % 3 === 0 ? '8867-4' : `x-${i}` }] },
        subject: { reference: `Patient/p${i % 3 === 1 ? 1 : i}` },
        name: [{ family: i % 3 === 2 ? 'Müller' : `Name${i}`, given: ['Ana'] }],
        ...(i % 4 === 3 ? { effectivePeriod: { start: `2024-0${i % 7 + 1}-05`, end: `2024-0${i % 7 + 1}-06` } } : { effectiveDateTime: `20${10 + i % 10}-03-05T10:00:00+02:00` }),
      };
      await db.query(sql`INSERT INTO fn_t VALUES (${`r${i}`}, ${jsonParam(resource)}::jsonb)`);
    }
    for (const [index, definition] of indexes) await db.query(raw(`CREATE INDEX ${index} ON fn_t ${definition}`));
    await db.query(raw('ANALYZE fn_t'));
  });

  for (const [index, condition] of queries) {
    it(`${index} serves ${condition.slice(0, 40)}...`, async () => {
      await db.transaction(async (tx) => {
        await tx.query(raw('SET LOCAL enable_seqscan = off'));
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(raw(`EXPLAIN SELECT id FROM fn_t WHERE ${condition}`));
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
        assert.match(plan, new RegExp(`Index Scan on ${index}|Index Scan using ${index}`), plan);
      });
    });
  }

  it('finds the same rows through the indexes as without them', async () => {
    const ids = async (condition: string, useIndexes: boolean) => db.transaction(async (tx) => {
      await tx.query(raw(`SET LOCAL enable_seqscan = ${useIndexes ? 'off' : 'on'}`));
      await tx.query(raw(`SET LOCAL enable_bitmapscan = ${useIndexes ? 'on' : 'off'}`));
      await tx.query(raw(`SET LOCAL enable_indexscan = ${useIndexes ? 'on' : 'off'}`));
      const { rows } = await tx.query<{ id: string }>(raw(`SELECT id FROM fn_t WHERE ${condition}`));
      return rows.map((row) => row.id).sort();
    });
    for (const [, condition, matches] of queries) {
      const expected = Array.from({ length: rowCount }, (_, i) => i).filter(matches).map((i) => `r${i}`).sort();
      assert.ok(expected.length > 0);
      assert.deepEqual(await ids(condition, true), expected, condition);
      assert.deepEqual(await ids(condition, false), expected, condition);
    }
  });

  it('survives REINDEX (a restricted search_path on PostgreSQL 17 and later)', async () => {
    await db.query(raw('REINDEX TABLE fn_t'));
  });
});

describe('definitions', () => {
  it('are IMMUTABLE and PARALLEL SAFE, and installing again changes nothing', async () => {
    const { rows } = await db.query<{ proname: string; provolatile: string; proparallel: string }>(raw(`
      SELECT proname, provolatile, proparallel FROM pg_proc WHERE proname LIKE 'flint\\_%' ORDER BY proname`));
    assert.ok(rows.length >= 11 && rows.length === SEARCH_FUNCTIONS_DDL.length, JSON.stringify(rows.map((row) => row.proname)));
    for (const row of rows) assert.deepEqual([row.proname, row.provolatile, row.proparallel], [row.proname, 'i', 's']);
  });
});
