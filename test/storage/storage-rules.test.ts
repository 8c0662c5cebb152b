/**
 * The seed's storage rules, checked by reading the tables directly: what the main row holds, what
 * update and delete put in history, the global txid sequence, and the status column.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

interface Row { id: string; txid: string; ts: string; cts: string; resource_type: string; status: string; resource: any }

async function mainRows(id: string): Promise<Row[]> {
  return (await flint.db.query<Row>(sql`SELECT * FROM patient WHERE id = ${id}`)).rows;
}

async function historyRows(id: string): Promise<Row[]> {
  return (await flint.db.query<Row>(sql`SELECT * FROM patient_history WHERE id = ${id} ORDER BY txid`)).rows;
}

const patient = { resourceType: 'Patient', meta: { tag: [{ code: 't' }] }, name: [{ family: 'Doe' }] };

describe('storage layout', () => {
  it('has the seed columns on main and history tables', async () => {
    const { rows } = await flint.db.query<{ table_name: string; column_name: string; data_type: string }>(sql`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_name IN ('patient', 'patient_history') AND table_schema = current_schema() ORDER BY table_name, ordinal_position`);
    const columns = (table: string) => rows.filter((row) => row.table_name === table).map((row) => `${row.column_name}:${row.data_type}`);
    const expected = ['id:text', 'txid:bigint', 'ts:timestamp with time zone', 'cts:timestamp with time zone', 'resource_type:text', 'status:USER-DEFINED', 'resource:jsonb'];
    assert.deepEqual(columns('patient'), expected);
    assert.deepEqual(columns('patient_history'), expected);
    const sequence = await flint.db.query(sql`SELECT 1 FROM pg_class WHERE relname = 'transaction_id_seq' AND relkind = 'S'`);
    assert.equal(sequence.rows.length, 1);
  });

  it('has a main and a history table for every R4 resource type and the server\'s own types', async () => {
    const types = flint.ctx.model.resourceTypes();
    assert.equal(types.filter((type) => flint.ctx.model.getType(type)?.url.startsWith('http://hl7.org/fhir/')).length, 146);
    assert.deepEqual(types.filter((type) => type.startsWith('Flint')), ['FlintApi', 'FlintStorage']);
    assert.ok(types.includes('ViewDefinition'));
    assert.deepEqual(['User', 'Client', 'Session', 'Role'].filter((type) => types.includes(type)), ['User', 'Client', 'Session', 'Role']);
    assert.deepEqual(['AccessPolicy', 'Operation'].filter((type) => types.includes(type)), ['AccessPolicy', 'Operation']);
    assert.deepEqual(['SubscriptionTopic', 'TopicDestination'].filter((type) => types.includes(type)), ['SubscriptionTopic', 'TopicDestination']);
    // and ViewDefinition (SQL on FHIR), the four identity types, AccessPolicy, Operation, SubscriptionTopic and TopicDestination
    assert.equal(types.length, 157);
    const names = types.flatMap((type) => [type.toLowerCase(), `${type.toLowerCase()}_history`]);
    const { rows } = await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM pg_class WHERE relkind = 'r' AND relname = ANY(${names}::text[])`);
    assert.equal(Number(rows[0].n), names.length);
  });
});

describe('create', () => {
  it('stores the resource without id, resourceType, versionId and lastUpdated', async () => {
    const created = (await flint.post('/fhir/Patient', patient)).body;
    const [row] = await mainRows(created.id);
    assert.equal(row.status, 'created');
    assert.equal(row.resource_type, 'Patient');
    assert.equal(row.txid, created.meta.versionId);
    assert.deepEqual(row.resource, { meta: { tag: [{ code: 't' }] }, name: [{ family: 'Doe' }] });
    assert.equal(row.ts, row.cts);
    assert.deepEqual(await historyRows(created.id), []);
  });

  it('takes txids from the one global sequence, across types', async () => {
    const a = (await flint.post('/fhir/Patient', patient)).body;
    const b = (await flint.post('/fhir/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' } })).body;
    const { rows } = await flint.db.query<{ last_value: string }>(sql`SELECT last_value FROM transaction_id_seq`);
    assert.ok(BigInt(b.meta.versionId) > BigInt(a.meta.versionId));
    assert.ok(BigInt(rows[0].last_value) >= BigInt(b.meta.versionId));
  });
});

describe('update', () => {
  it('copies the current row to history, then updates the main row with a new txid', async () => {
    const v1 = (await flint.post('/fhir/Patient', patient)).body;
    const [before] = await mainRows(v1.id);
    const v2 = (await flint.put(`/fhir/Patient/${v1.id}`, { ...patient, id: v1.id, active: true })).body;
    const [after] = await mainRows(v1.id);
    assert.equal(after.status, 'updated');
    assert.equal(after.txid, v2.meta.versionId);
    assert.equal(after.cts, before.cts);
    assert.equal(after.resource.active, true);
    const history = await historyRows(v1.id);
    assert.equal(history.length, 1);
    assert.deepEqual({ ...history[0] }, { ...before });
  });
});

describe('delete', () => {
  it('copies to history, adds a deleted marker, removes the main row', async () => {
    const v1 = (await flint.post('/fhir/Patient', patient)).body;
    const [before] = await mainRows(v1.id);
    await flint.delete(`/fhir/Patient/${v1.id}`);
    assert.deepEqual(await mainRows(v1.id), []);
    const history = await historyRows(v1.id);
    assert.equal(history.length, 2);
    assert.deepEqual({ ...history[0] }, { ...before });
    assert.equal(history[1].status, 'deleted');
    assert.ok(BigInt(history[1].txid) > BigInt(before.txid));
    assert.deepEqual(history[1].resource, before.resource);
  });

  it('marks a create after delete as recreated', async () => {
    await flint.put('/fhir/Patient/re-1', { ...patient, id: 're-1' });
    await flint.delete('/fhir/Patient/re-1');
    await flint.put('/fhir/Patient/re-1', { ...patient, id: 're-1' });
    assert.equal((await mainRows('re-1'))[0].status, 'recreated');
  });
});

describe('failed writes', () => {
  it('leave the tables as they were', async () => {
    const v1 = (await flint.post('/fhir/Patient', patient)).body;
    const answer = await flint.put(`/fhir/Patient/${v1.id}`, { ...patient, id: v1.id }, { headers: { 'if-match': 'W/"1"' } });
    assert.equal(answer.status, 412);
    assert.equal((await mainRows(v1.id))[0].txid, v1.meta.versionId);
    assert.deepEqual(await historyRows(v1.id), []);
  });
});
