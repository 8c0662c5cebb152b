/**
 * The change feed and $changes (docs/subscriptions.md#the-change-feed): every committed change in
 * order with its event and version, per type and per resource, paging, ranges, id-only answers, 304
 * when nothing is new, bad input refused, a failed transaction leaving no change, the caller's row
 * rules applied, and (on PostgreSQL) a transaction that took its txid first but committed last is
 * not skipped by a reader that already read past that txid.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertResource } from '../../src/storage/index.js';
import { asCaller, criteria, rowsOf } from '../support/row-rules.js';
import { usingPostgres } from '../support/test-database.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => {
  flint = await startTestFlint();
});
after(async () => {
  await flint?.stop();
});

async function latest(path = 'Patient'): Promise<number> {
  const answer = await flint.get(`/fhir/${path}/$changes`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.version;
}

const events = (body: any): string[] => body.changes.map((change: any) => `${change.event} ${change.resource.resourceType}/${change.resource.id}`);

describe('$changes', () => {
  let start: number;
  let first: string;
  let second: string;
  /** The positions of the four changes (positions are global: other types' changes may come between). */
  let positions: number[];

  before(async () => {
    start = await latest();
    first = (await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'First' }] })).body.id;
    await flint.put(`/fhir/Patient/${first}`, { resourceType: 'Patient', id: first, name: [{ family: 'First' }], gender: 'female' });
    second = (await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'Second' }] })).body.id;
    assert.equal((await flint.delete(`/fhir/Patient/${first}`)).status, 204);
    positions = (await flint.get(`/fhir/Patient/$changes?version=${start}`)).body.changes.map((change: any) => change.version);
  });

  it('answers the newest position without a version', async () => {
    assert.equal(await latest(), positions[3]);
  });

  it('gives every change after a version, in order, with the version each made', async () => {
    const answer = await flint.get(`/fhir/Patient/$changes?version=${start}`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(events(answer.body), [`created Patient/${first}`, `updated Patient/${first}`, `created Patient/${second}`, `deleted Patient/${first}`]);
    assert.equal(answer.body.version, positions[3]);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    assert.ok(positions[0] > start);
    const [created, updated] = answer.body.changes;
    assert.equal(created.resource.gender, undefined);
    assert.equal(updated.resource.gender, 'female');
    assert.ok(Number(updated.resource.meta.versionId) > Number(created.resource.meta.versionId));
  });

  it('answers 304 when nothing is newer', async () => {
    const answer = await flint.get(`/fhir/Patient/$changes?version=${positions[3]}`);
    assert.equal(answer.status, 304);
    assert.equal(answer.text, '');
  });

  it('pages with _count: the version resumes after the last change given', async () => {
    const page = await flint.get(`/fhir/Patient/$changes?version=${start}&_count=3`);
    assert.deepEqual(events(page.body).length, 3);
    assert.equal(page.body.version, positions[2]);
    const rest = await flint.get(`/fhir/Patient/$changes?version=${page.body.version}&_count=3`);
    assert.deepEqual(events(rest.body), [`deleted Patient/${first}`]);
  });

  it('reads a range, and one resource\'s changes at the instance level', async () => {
    const range = await flint.get(`/fhir/Patient/$changes?version=${positions[0]},${positions[2]}`);
    assert.deepEqual(events(range.body), [`updated Patient/${first}`, `created Patient/${second}`]);
    const instance = await flint.get(`/fhir/Patient/${first}/$changes?version=0`);
    assert.deepEqual(events(instance.body), [`created Patient/${first}`, `updated Patient/${first}`, `deleted Patient/${first}`]);
  });

  it('gives only type, id and versionId with omit-resources=true', async () => {
    const answer = await flint.get(`/fhir/Patient/$changes?version=${start}&_count=1&omit-resources=true`);
    assert.deepEqual(Object.keys(answer.body.changes[0].resource).sort(), ['id', 'meta', 'resourceType']);
    assert.deepEqual(Object.keys(answer.body.changes[0].resource.meta), ['versionId']);
  });

  it('refuses a version or a count that is not one', async () => {
    for (const query of ['version=abc', 'version=5,2', 'version=1,2,3', 'version=-1']) {
      const answer = await flint.get(`/fhir/Patient/$changes?${query}`);
      assert.equal(answer.status, 400, query);
      assert.deepEqual(issueCodes(answer.body), ['changes.bad-version'], query);
    }
    for (const query of ['version=0&_count=0', 'version=0&_count=5000', 'version=0&_count=x']) {
      const answer = await flint.get(`/fhir/Patient/$changes?${query}`);
      assert.equal(answer.status, 400, query);
      assert.deepEqual(issueCodes(answer.body), ['changes.bad-count'], query);
    }
  });
});

describe('changes and transactions', () => {
  it('records each entry of a transaction, and nothing of one that failed', async () => {
    const start = await latest('Observation');
    const entry = (code: string) => ({
      resource: { resourceType: 'Observation', status: 'final', code: { text: code } }, request: { method: 'POST', url: 'Observation' },
    });
    const done = await flint.post('/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [entry('a'), entry('b')] });
    assert.equal(done.status, 200, done.text);
    const failed = await flint.post('/fhir', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [entry('c'), { resource: { resourceType: 'Observation', status: 'not-a-status', code: { text: 'd' } }, request: { method: 'POST', url: 'Observation' } }],
    });
    assert.ok(failed.status >= 400, failed.text);
    const answer = await flint.get(`/fhir/Observation/$changes?version=${start}`);
    assert.deepEqual(answer.body.changes.map((change: any) => change.resource.code.text), ['a', 'b']);
    assert.equal(await latest('Observation'), answer.body.version);
  });
});

describe('changes and row rules', () => {
  it('gives a caller only the changes of rows it may read', async () => {
    const start = await latest('Encounter');
    for (const status of ['planned', 'finished', 'planned']) await flint.post('/fhir/Encounter', { resourceType: 'Encounter', status, class: { code: 'AMB' } });
    const call = asCaller(flint.ctx, rowsOf({ Encounter: criteria('status=finished') }));
    const answer = await call('GET', `Encounter/$changes?version=${start}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.changes.map((change: any) => change.resource.status), ['finished']);
    assert.equal(answer.body.version, await latest('Encounter'), 'the version moves past the hidden changes too');
  });
});

describe('a transaction that commits after a later one', { skip: usingPostgres() ? false : 'needs two transactions at once (PostgreSQL; the embedded database has one connection)' }, () => {
  it('is not skipped: positions follow commits, not txids', async () => {
    const start = await latest('Practitioner');
    const storage = flint.ctx.storages.storageFor('Practitioner');
    assert.ok(storage);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let slowTxid = '';
    let written!: () => void;
    const slowWritten = new Promise<void>((resolve) => {
      written = resolve;
    });
    const slow = flint.db.transaction(async (tx) => {
      slowTxid = (await insertResource(tx, storage, 'slow-one', { name: [{ family: 'Slow' }] })).txid;
      written();
      await held;
    });
    await slowWritten;
    const fast = await flint.post('/fhir/Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Fast' }] });
    assert.ok(Number(fast.body.meta.versionId) > Number(slowTxid), 'the fast one took the later txid');
    const before = await flint.get(`/fhir/Practitioner/$changes?version=${start}`);
    assert.deepEqual(events(before.body), [`created Practitioner/${fast.body.id}`]);
    release();
    await slow;
    const afterCommit = await flint.get(`/fhir/Practitioner/$changes?version=${before.body.version}`);
    assert.equal(afterCommit.status, 200);
    assert.deepEqual(events(afterCommit.body), ['created Practitioner/slow-one']);
  });
});
