/**
 * $sql runs as a role of its own with only reading rights (never as Flint's role), on both
 * databases: the known ways out of a SQL sandbox are refused with 403, a statement that ends its
 * own connection fails only its request, no session state (an advisory lock) outlives a request,
 * tables made after the start are readable, and the byte cap keeps answers bounded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { raw } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { usingPostgres } from '../support/test-database.js';

const MAX_BYTES = 4096;
let flint: TestFlint;
before(async () => {
  flint = await startTestFlint({ sqlMaxBytes: MAX_BYTES });
  await flint.post('/fhir/Patient', { resourceType: 'Patient', gender: 'female' });
});
after(async () => { await flint.stop(); });

const text = (statement: string) => flint.post('/$sql', undefined, { raw: statement, contentType: 'text/plain' });

/** The pid of a session of Flint's own pool (on the embedded database, its only session). */
async function flintPid(): Promise<number> {
  const { rows } = await flint.db.query<{ pid: number }>(raw('SELECT pg_backend_pid() AS pid'));
  return rows[0].pid;
}

describe('the $sql role', () => {
  it('is not Flint\'s role, and has no attribute beyond logging in', async () => {
    const answer = await text('SELECT current_user AS role, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user');
    assert.equal(answer.status, 200);
    const [row] = answer.body;
    const { rows } = await flint.db.query<{ role: string }>(raw('SELECT current_user AS role'));
    assert.notEqual(row.role, rows[0].role);
    assert.match(row.role, /^flint_sql_/);
    assert.deepEqual([row.rolsuper, row.rolcreaterole, row.rolcreatedb, row.rolbypassrls], [false, false, false, false]);
  });

  it('reads the resource tables, their history and the fhir functions', async () => {
    const answer = await text('SELECT (SELECT count(*) FROM patient) AS n, (SELECT count(*) FROM patient_history) AS h, (SELECT fhir.resource(p) ->> \'resourceType\' FROM patient p LIMIT 1) AS t');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, [{ n: 1, h: 0, t: 'Patient' }]);
  });

  it('reads tables created after the start (default privileges)', async () => {
    await flint.db.query(raw('CREATE TABLE later_table (a int)'));
    await flint.db.query(raw('INSERT INTO later_table VALUES (7)'));
    const answer = await text('SELECT a FROM later_table');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, [{ a: 7 }]);
  });
});

describe('escapes, refused with 403 on both databases', () => {
  const escapes: [string, () => Promise<string>][] = [
    ['reading a server file', async () => "SELECT pg_read_file('/etc/passwd')"],
    ['ending another session', async () => `SELECT pg_terminate_backend(${await flintPid()})`],
    ['reloading the configuration', async () => 'SELECT pg_reload_conf()'],
    ['switching the WAL', async () => 'SELECT pg_switch_wal()'],
    ['importing a server file as a large object', async () => "SELECT lo_import('/etc/passwd')"],
    ['reading a Flint system table', async () => 'SELECT * FROM flint_private.sql_role_password'],
    ['reading Flint\'s transaction sequence', async () => 'SELECT last_value FROM transaction_id_seq'],
    ['becoming the superuser with set_config(role)', async () => "SELECT set_config('role', 'postgres', false), pg_read_file('/etc/passwd')"],
    ['becoming the superuser with session_authorization', async () => "SELECT set_config('session_authorization', 'postgres', false), pg_read_file('/etc/passwd')"],
    ['a privileged call inside query_to_xml', async () => "SELECT query_to_xml('select pg_read_file(''/etc/passwd'')', true, true, '')"],
  ];
  for (const [title, statement] of escapes) {
    it(`refuses ${title}`, async () => {
      const answer = await text(await statement());
      assert.equal(answer.status, 403, answer.text);
      assert.deepEqual(issueCodes(answer.body), ['sql.permission-denied']);
    });
  }

  it('leaves Flint serving after all of them', async () => {
    assert.equal((await flint.get('/fhir/Patient?_count=1')).status, 200);
  });
});

describe('session state and the connection', () => {
  it('answers a statement that ends its own connection, and keeps serving', async () => {
    const answer = await text('SELECT pg_terminate_backend(pg_backend_pid())');
    // PostgreSQL: the role may end its own session, and that request alone fails; the embedded
    // database has one session, Flint's, which the role may not end.
    if (usingPostgres()) {
      assert.equal(answer.status, 503);
      assert.deepEqual(issueCodes(answer.body), ['sql.connection-lost']);
    } else {
      assert.equal(answer.status, 403);
    }
    assert.deepEqual((await text('SELECT 1 AS one')).body, [{ one: 1 }]);
    assert.equal((await flint.get('/fhir/Patient?_count=1')).status, 200);
  });

  it('releases an advisory lock taken with pg_advisory_lock when the request ends', async () => {
    assert.equal((await text('SELECT pg_advisory_lock(4242)')).status, 200);
    const { rows } = await flint.db.query<{ n: number }>(raw(`SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND objid = 4242 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`));
    assert.equal(rows[0].n, 0);
    if (!flint.testDb.url) return;
    const other = new pg.Client({ connectionString: flint.testDb.url });
    await other.connect();
    try {
      assert.equal((await other.query('SELECT pg_try_advisory_lock(4242) AS got')).rows[0].got, true);
    } finally {
      await other.end();
    }
  });
});

describe('the byte cap (FLINT_SQL_MAX_BYTES)', () => {
  it('answers the rows that fit and says that bytes cut the rest', async () => {
    const answer = await text("SELECT repeat('x', 300) AS x FROM generate_series(1, 100)");
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['x-sql-truncated'], 'true');
    assert.equal(answer.headers['x-sql-truncated-reason'], 'bytes');
    assert.ok(answer.body.length > 0 && answer.body.length < 100);
    assert.ok(Buffer.byteLength(answer.text) <= MAX_BYTES);
  });

  it('stops at a first row larger than the cap', async () => {
    const answer = await text("SELECT repeat('x', 1000000) AS x FROM generate_series(1, 100)");
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, []);
    assert.equal(answer.headers['x-sql-truncated-reason'], 'bytes');
  });

  it('says when the row limit cut the answer', async () => {
    const answer = await flint.post('/$sql?_limit=3', undefined, { raw: 'SELECT g FROM generate_series(1, 10) g', contentType: 'text/plain' });
    assert.equal(answer.headers['x-sql-truncated-reason'], 'rows');
    assert.equal(answer.body.length, 3);
  });
});
