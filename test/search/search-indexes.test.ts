/**
 * Search indexes (docs/search.md#indexes): the default indexes of a new table, the index of a
 * parameter added and dropped at run time, the planner using them for the conditions search
 * generates, $explain, and FLINT_SEARCH_INDEXES=none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { LOINC, putAll } from './search-cases.js';

let flint: TestFlint;

interface IndexInfo { name: string; resourceType: string; parameters: string[]; definition: string; valid: boolean }

function indexes(body: any): IndexInfo[] {
  return (body.parameter ?? []).filter((entry: any) => entry.name === 'index').map((entry: any) => {
    const part = (name: string) => entry.part.filter((item: any) => item.name === name);
    return {
      name: part('name')[0].valueString,
      resourceType: part('resourceType')[0].valueCode,
      parameters: part('parameter').map((item: any) => item.valueCode),
      definition: part('definition')[0].valueString,
      valid: part('valid')[0].valueBoolean,
    };
  });
}

const codeParameter = (code: string) => ({ resourceType: 'Parameters', parameter: [{ name: 'code', valueCode: code }] });

/** The plan of a search's SQL (from $explain) with sequential and plain index scans off: which search indexes can serve it. */
async function planWithoutSeqScan(query: string, type = 'Observation'): Promise<string> {
  const explained = await flint.get(`/fhir/${type}/$explain?${query}`);
  assert.equal(explained.status, 200, explained.text);
  const sqlText = explained.body.parameter.find((entry: any) => entry.name === 'sql').valueString as string;
  const values = explained.body.parameter.filter((entry: any) => entry.name === 'parameter')
    .map((entry: any) => (entry.valueString.startsWith('[') ? JSON.parse(entry.valueString) : entry.valueString));
  return flint.db.transaction(async (tx) => {
    await tx.query(raw('SET LOCAL enable_seqscan = off'));
    await tx.query(raw('SET LOCAL enable_indexscan = off'));
    const text = `EXPLAIN ${sqlText.replace(/\$(\d+)/g, (_, n) => literal(values[Number(n) - 1]))}`;
    const { rows } = await tx.query<Record<string, string>>(raw(text));
    return rows.map((row) => Object.values(row)[0]).join('\n');
  });
}

/** The plan with sequential scans, bitmap scans and full sorts off: whether an index can give the search's order. */
async function orderedPlan(query: string, type = 'Observation'): Promise<string> {
  const explained = await flint.get(`/fhir/${type}/$explain?${query}`);
  assert.equal(explained.status, 200, explained.text);
  const sqlText = explained.body.parameter.find((entry: any) => entry.name === 'sql').valueString as string;
  const values = explained.body.parameter.filter((entry: any) => entry.name === 'parameter')
    .map((entry: any) => (entry.valueString.startsWith('[') ? JSON.parse(entry.valueString) : entry.valueString));
  return flint.db.transaction(async (tx) => {
    for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort']) await tx.query(raw(`SET LOCAL ${setting} = off`));
    const text = `EXPLAIN ${sqlText.replace(/\$(\d+)/g, (_, n) => literal(values[Number(n) - 1]))}`;
    const { rows } = await tx.query<Record<string, string>>(raw(text));
    return rows.map((row) => Object.values(row)[0]).join('\n');
  });
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]::text[]`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, [
    { resourceType: 'Patient', id: 'ix1', name: [{ family: 'Index' }] },
    { resourceType: 'Observation', id: 'ixo1', status: 'final', code: { coding: [{ system: LOINC, code: '8867-4' }] }, subject: { reference: 'Patient/ix1' }, effectiveDateTime: '2024-01-01' },
  ]);
});
after(async () => { await flint.stop(); });

describe('default search indexes', () => {
  it('exist on a new table, one per distinct expression (subject and patient share one)', async () => {
    const answer = await flint.get('/fhir/Observation/$search-indexes');
    assert.equal(answer.status, 200);
    const found = indexes(answer.body);
    const served = found.map((index) => index.parameters.join(','));
    assert.ok(served.includes('patient,subject'), served.join(' / '));
    for (const code of ['code', 'date', 'identifier']) assert.ok(found.some((index) => index.parameters.includes(code)), code);
    assert.ok(found.every((index) => index.valid && index.resourceType === 'Observation'));
  });

  it('serve the conditions search generates (the planner can use them)', async () => {
    assert.match(await planWithoutSeqScan('code=http://loinc.org|8867-4'), /_search_/);
    assert.match(await planWithoutSeqScan('subject=Patient/ix1'), /_search_/);
    assert.match(await planWithoutSeqScan('date=ge2023-06-01'), /_search_/);
  });

  it('include a btree on the subject\'s id and the descending date sort key', async () => {
    const found = indexes((await flint.get('/fhir/Observation/$search-indexes')).body);
    const pair = found.find((index) => index.parameters.join(',') === 'date,patient,subject');
    assert.ok(pair, found.map((index) => index.parameters.join(',')).join(' / '));
    assert.match(pair.definition, /USING btree \(flint_reference_id\(resource, .*\), upper\(flint_date_envelope\(resource, .*\)\) DESC NULLS LAST\)/);
  });

  it('walk one subject\'s resources in date order for _sort=-date (no full sort)', async () => {
    const pair = indexes((await flint.get('/fhir/Observation/$search-indexes')).body)
      .find((index) => index.parameters.join(',') === 'date,patient,subject') as IndexInfo;
    for (const query of ['subject=Patient/ix1&_sort=-date&_count=1', 'subject=Patient/ix1&code=http://loinc.org|8867-4&_sort=-date']) {
      const plan = await orderedPlan(query);
      assert.match(plan, new RegExp(`Index Scan using ${pair.name}`), plan);
      assert.doesNotMatch(plan, /(^|->)\s*Sort\s+\(/m, plan);
    }
  });

  it('include a trigram index for names', async () => {
    const found = indexes((await flint.get('/fhir/Patient/$search-indexes')).body);
    assert.ok(found.some((index) => index.parameters.includes('name') && /gin_trgm_ops/.test(index.definition)));
  });

  it('keep the GIN pending list small, so recent writes do not slow every search down', async () => {
    const found = indexes((await flint.get('/fhir/Patient/$search-indexes')).body);
    const gin = found.filter((index) => / USING gin /.test(index.definition));
    assert.ok(gin.length >= 2, found.map((index) => index.definition).join('\n'));
    for (const index of gin) assert.match(index.definition, /gin_pending_list_limit='?64'?/, index.definition);
  });
});

describe('search indexes added and dropped at run time', () => {
  // On Encounter, so the listing of Observation's default indexes above never sees it.
  it('builds the index of a parameter, which then serves its searches, and drops it', async () => {
    const created = await flint.post('/fhir/Encounter/$create-search-index', codeParameter('status'));
    assert.equal(created.status, 200, created.text);
    const [index] = indexes(created.body);
    assert.deepEqual(index.parameters, ['status']);
    assert.equal(index.valid, true);
    assert.match(index.definition, /gin_pending_list_limit='?64'?/, index.definition);
    assert.match(await planWithoutSeqScan('status=finished', 'Encounter'), new RegExp(index.name));
    const again = await flint.post('/fhir/Encounter/$create-search-index', codeParameter('status'));
    assert.equal(indexes(again.body)[0].name, index.name);
    const dropped = await flint.post('/fhir/Encounter/$drop-search-index', codeParameter('status'));
    assert.equal(dropped.status, 200);
    assert.equal(dropped.body.parameter[0].valueString, index.name);
    const listed = indexes((await flint.get('/fhir/Encounter/$search-indexes')).body);
    assert.ok(!listed.some((entry) => entry.name === index.name));
    const droppedAgain = await flint.post('/fhir/Encounter/$drop-search-index', codeParameter('status'));
    assert.deepEqual(droppedAgain.body.parameter, []);
  });

  it('rejects unknown parameters and parameter types without an index', async () => {
    const unknown = await flint.post('/fhir/Observation/$create-search-index', codeParameter('nonsense'));
    assert.equal(unknown.status, 400);
    assert.deepEqual(issueCodes(unknown.body), ['search.unknown-parameter']);
    const quantity = await flint.post('/fhir/Observation/$create-search-index', codeParameter('value-quantity'));
    assert.equal(quantity.status, 400);
    assert.deepEqual(issueCodes(quantity.body), ['search.not-indexable']);
    const missing = await flint.post('/fhir/Observation/$create-search-index', { resourceType: 'Parameters' });
    assert.equal(missing.status, 400);
  });

  it('are changed with POST only', async () => {
    const answer = await flint.get('/fhir/Observation/$create-search-index?code=status');
    assert.equal(answer.status, 405);
  });
});

describe('$explain', () => {
  it('returns the SQL, its parameters and the plan', async () => {
    const answer = await flint.get('/fhir/Observation/$explain?code=8867-4&_sort=-date');
    assert.equal(answer.status, 200);
    const sqlText = answer.body.parameter.find((entry: any) => entry.name === 'sql').valueString;
    assert.match(sqlText, /flint_token_keys/);
    assert.match(sqlText, /ORDER BY/);
    const plan = JSON.parse(answer.body.parameter.find((entry: any) => entry.name === 'plan').valueString);
    assert.ok(plan[0].Plan['Node Type']);
  });

  it('tests a date parameter bounded on both sides once, on the envelope', async () => {
    const answer = await flint.get('/fhir/Observation/$explain?date=ge2024-01-01&date=lt2024-02-01');
    const sqlText: string = answer.body.parameter.find((entry: any) => entry.name === 'sql').valueString;
    assert.equal(sqlText.match(/flint_date_envelope/g)?.length, 1, sqlText);
    assert.doesNotMatch(sqlText, /flint_date_ranges/);
  });

  it('runs the query with analyze=true', async () => {
    const answer = await flint.get('/fhir/Observation/$explain?code=8867-4&analyze=true');
    const plan = JSON.parse(answer.body.parameter.find((entry: any) => entry.name === 'plan').valueString);
    assert.equal(typeof plan[0]['Execution Time'], 'number');
  });

  it('answers 400 for a search that is not valid', async () => {
    const answer = await flint.get('/fhir/Observation/$explain?date=yesterday');
    assert.equal(answer.status, 400);
  });
});

describe('FLINT_SEARCH_INDEXES=none', () => {
  it('creates tables without search indexes', async () => {
    const bare = await startTestFlint({ searchIndexes: 'none' }, undefined, { empty: true });
    try {
      const answer = await bare.get('/fhir/Observation/$search-indexes');
      assert.equal(answer.status, 200);
      assert.deepEqual(indexes(answer.body), []);
      const created = await bare.post('/fhir/Observation/$create-search-index', codeParameter('code'));
      assert.equal(created.status, 200);
      assert.equal(indexes((await bare.get('/fhir/Observation/$search-indexes')).body).length, 1);
    } finally {
      await bare.stop();
    }
  });
});
