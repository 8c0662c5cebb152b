/**
 * POST /$sql over HTTP: the body forms, parameters bound (never spliced), JSON and YAML rows,
 * PostgreSQL's errors as OperationOutcomes with message and position, read-only mode (the
 * default), one statement per request, the row limit and the statement timeout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { SQL_POSITION_EXTENSION, SQL_STATE_EXTENSION } from '../../src/http/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { usingPostgres } from '../support/test-database.js';

let flint: TestFlint;
before(async () => {
  flint = await startTestFlint();
  for (const [family, gender] of [['Ng', 'female'], ['Oz', 'male'], ["O'Brien", 'female']]) {
    await flint.post('/fhir/Patient', { resourceType: 'Patient', gender, name: [{ family }] });
  }
});
after(async () => { await flint.stop(); });

const text = (statement: string, url = '/$sql') => flint.post(url, undefined, { raw: statement, contentType: 'text/plain' });
const json = (body: unknown, url = '/$sql') => flint.post(url, body, { contentType: 'application/json' });
const extension = (body: any, url: string) => body.issue[0].extension?.find((e: any) => e.url === url);

describe('statements and rows', () => {
  it('runs SQL sent as text/plain and answers the rows as a JSON array of objects', async () => {
    const answer = await text("SELECT resource->'name'->0->>'family' AS family FROM patient WHERE resource->>'gender' = 'female' ORDER BY 1");
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(answer.body, [{ family: 'Ng' }, { family: "O'Brien" }]);
  });

  it('takes SQL as a JSON string, and at /fhir/$sql too', async () => {
    assert.deepEqual((await json('SELECT count(*) AS n FROM patient')).body, [{ n: 3 }]);
    assert.deepEqual((await json('SELECT 1 AS one', '/fhir/$sql')).body, [{ one: 1 }]);
  });

  it('binds the values of a [sql, ...values] array to its ? placeholders', async () => {
    const answer = await json(["SELECT resource->'name'->0->>'family' AS family FROM patient WHERE resource->>'gender' = ? AND resource->'name'->0->>'family' = ?", 'female', "O'Brien"]);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, [{ family: "O'Brien" }]);
  });

  it('never splices values: a value that looks like SQL stays a value', async () => {
    const answer = await json(['SELECT ?::text AS v', "x'; DROP TABLE patient; --"]);
    assert.deepEqual(answer.body, [{ v: "x'; DROP TABLE patient; --" }]);
    assert.deepEqual((await text('SELECT count(*) AS n FROM patient')).body, [{ n: 3 }]);
  });

  it('reads ?? as the jsonb ? operator and ? inside strings as text', async () => {
    const answer = await json(["SELECT count(*) AS n, '?' AS q FROM patient WHERE resource ?? 'gender' AND resource->>'gender' = ?", 'male']);
    assert.deepEqual(answer.body, [{ n: 1, q: '?' }]);
  });

  it('keeps numbers, timestamps and jsonb as PostgreSQL writes them', async () => {
    const answer = await text("SELECT 1.50::numeric AS d, 9007199254740993::bigint AS big, '2024-01-02T03:04:05Z'::timestamptz AS ts, '{\"a\":[1]}'::jsonb AS j");
    assert.equal(answer.text, '[{"d":1.50,"big":9007199254740993,"ts":"2024-01-02T03:04:05+00:00","j":{"a": [1]}}]');
  });

  it('answers YAML with _format=yaml', async () => {
    const answer = await flint.post('/$sql?_format=yaml', undefined, { raw: 'SELECT 1 AS one, \'a\' AS letter', contentType: 'text/plain' });
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] ?? '', /^application\/yaml/);
    assert.deepEqual(YAML.parse(answer.text), [{ one: 1, letter: 'a' }]);
  });

  it('reads resources as FHIR JSON with fhir.resource()', async () => {
    const [row] = (await text("SELECT fhir.resource(p) AS r FROM patient p WHERE resource->>'gender' = 'male'")).body;
    const read = (await flint.get(`/fhir/Patient/${row.r.id}`)).body;
    assert.deepEqual(row.r, read);
  });
});

describe('errors', () => {
  it('answers a SQL error 400 with PostgreSQL\'s message, SQLSTATE and position in the statement as sent', async () => {
    const statement = 'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM patent';
    const answer = await json([statement, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['sql.error']);
    assert.match(answer.body.issue[0].diagnostics, /patent/);
    assert.equal(extension(answer.body, SQL_STATE_EXTENSION).valueCode, '42P01');
    assert.equal(extension(answer.body, SQL_POSITION_EXTENSION).valueInteger, statement.indexOf('patent') + 1);
  });

  it('places errors of a plain statement too', async () => {
    const answer = await text('SELECT nonsense FROM patient');
    assert.equal(answer.status, 400);
    assert.equal(extension(answer.body, SQL_STATE_EXTENSION).valueCode, '42703');
    assert.equal(extension(answer.body, SQL_POSITION_EXTENSION).valueInteger, 8);
  });

  const refused: [string, unknown, string, number][] = [
    ['two statements', 'SELECT 1; SELECT 2', 'sql.multiple-statements', 400],
    ['a statement hidden after a string', "SELECT ';'; DELETE FROM patient", 'sql.multiple-statements', 400],
    ['an empty body', '   ', 'sql.empty', 400],
    ['too few values', ['SELECT ? + ?', 1], 'sql.parameter-count', 400],
    ['too many values', ['SELECT 1', 1], 'sql.parameter-count', 400],
    ['transaction control', 'COMMIT', 'sql.forbidden-statement', 400],
    ['session settings', 'SET search_path = nowhere', 'sql.forbidden-statement', 400],
    ['a body of another shape', { sql: 'SELECT 1' }, 'sql.bad-body', 400],
  ];
  for (const [title, body, code, status] of refused) {
    it(`refuses ${title} (${code})`, async () => {
      const answer = await json(body);
      assert.equal(answer.status, status);
      assert.deepEqual(issueCodes(answer.body), [code]);
    });
  }

  it('refuses an unknown _format', async () => {
    const answer = await flint.post('/$sql?_format=xml', undefined, { raw: 'SELECT 1', contentType: 'text/plain' });
    assert.equal(answer.status, 406);
  });
});

describe('read-only mode (the default)', () => {
  it('refuses writing statements (403)', async () => {
    for (const statement of ["DELETE FROM patient", "UPDATE patient SET status = 'updated'", 'CREATE TABLE x (a int)', 'DROP TABLE patient']) {
      const answer = await text(statement);
      assert.equal(answer.status, 403, statement);
      assert.deepEqual(issueCodes(answer.body), ['sql.read-only']);
    }
  });

  it('refuses writes hidden in a reading statement, when PostgreSQL meets them (403)', async () => {
    // Row locks are writes: the READ ONLY transaction refuses them before the rights are checked.
    const answer = await text('SELECT id FROM patient FOR UPDATE');
    assert.equal(answer.status, 403);
    assert.deepEqual(issueCodes(answer.body), ['sql.read-only']);
  });

  it('rolls back what a statement changed in the session, so the next request is unaffected', async () => {
    const changed = await text("SELECT set_config('search_path', 'nowhere', false) AS path");
    assert.equal(changed.status, 200);
    assert.deepEqual((await text('SELECT count(*) AS n FROM patient')).body, [{ n: 3 }]);
    assert.equal((await flint.get('/fhir/Patient?_count=1')).status, 200);
  });
});

describe('limits', () => {
  it('stops at _limit rows and says the result was cut', async () => {
    const answer = await text('SELECT g AS n FROM generate_series(1, 50) g');
    assert.equal(answer.body.length, 50);
    assert.equal(answer.headers['x-sql-truncated'], undefined);
    const limited = await flint.post('/$sql?_limit=10', undefined, { raw: 'SELECT g AS n FROM generate_series(1, 50) g', contentType: 'text/plain' });
    assert.deepEqual(limited.body.map((row: any) => row.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(limited.headers['x-sql-truncated'], 'true');
  });

  it('refuses a malformed _timeout or _limit', async () => {
    const answer = await flint.post('/$sql?_timeout=soon', undefined, { raw: 'SELECT 1', contentType: 'text/plain' });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['sql.bad-parameter']);
  });

  it('stops a statement that runs longer than _timeout', { skip: !usingPostgres() && 'the embedded PostgreSQL (PGlite) does not enforce statement_timeout' }, async () => {
    const answer = await flint.post('/$sql?_timeout=200', undefined, { raw: 'SELECT pg_sleep(5)', contentType: 'text/plain' });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['db.statement-timeout']);
  });
});

describe('write mode (FLINT_SQL_READ_ONLY=false)', () => {
  let writer: TestFlint;
  before(async () => { writer = await startTestFlint({ sqlReadOnly: false, sqlMaxRows: 5 }); });
  after(async () => { await writer.stop(); });

  it('runs writing statements and keeps their effect', async () => {
    const created = await writer.post('/$sql', undefined, { raw: 'CREATE TABLE notes (n int)', contentType: 'text/plain' });
    assert.equal(created.status, 200);
    const inserted = await writer.post('/$sql', ['INSERT INTO notes SELECT g FROM generate_series(1, ?::int) g RETURNING n', 8], { contentType: 'application/json' });
    assert.equal(inserted.status, 200);
    assert.equal(inserted.body.length, 5);
    assert.equal(inserted.headers['x-sql-truncated'], 'true');
    const counted = await writer.post('/$sql', undefined, { raw: 'SELECT count(*) AS n FROM notes', contentType: 'text/plain' });
    assert.deepEqual(counted.body, [{ n: 8 }]);
  });

  it('keeps no session state from one request to the next: temporary tables, settings', async () => {
    const write = (statement: string) => writer.post('/$sql', undefined, { raw: statement, contentType: 'text/plain' });
    assert.equal((await write('CREATE TEMP TABLE scratch (a int)')).status, 200);
    const scratch = await write('SELECT * FROM scratch');
    assert.equal(scratch.status, 400);
    assert.equal(extension(scratch.body, SQL_STATE_EXTENSION).valueCode, '42P01');
    assert.equal((await write("SELECT set_config('TimeZone', 'America/New_York', false) AS tz")).status, 200);
    assert.deepEqual((await write("SELECT current_setting('TimeZone') AS tz")).body, [{ tz: 'UTC' }]);
    assert.equal((await writer.get('/fhir/Patient?_count=1')).status, 200);
  });

  it('may not change or drop Flint\'s tables (403)', async () => {
    const dropped = await writer.post('/$sql', undefined, { raw: 'DROP TABLE patient', contentType: 'text/plain' });
    assert.equal(dropped.status, 403);
    assert.deepEqual(issueCodes(dropped.body), ['sql.permission-denied']);
  });
});
