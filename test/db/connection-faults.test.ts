/**
 * A connection ended under a request (an administrator's pg_terminate_backend; a restart or a
 * failover look the same to the server) fails that request with 503 db.connection-lost and
 * Retry-After, never the process; the broken connection is discarded and the next requests are
 * served. A client that goes away cancels its request's statement (search, transaction Bundle).
 * The requests are held on a table lock taken by a second connection, so their backends are found
 * waiting in pg_stat_activity. Real PostgreSQL only (the embedded database has no other sessions).
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { usingPostgres } from '../support/test-database.js';
import { issueCodes, ROOT_BASIC, startTestFlint, type TestFlint } from '../support/test-server.js';

const skip = !usingPostgres() && 'needs other sessions of a real PostgreSQL';
let flint: TestFlint;
let admin: pg.Client;
let table: string;

before(async () => {
  if (skip) return;
  flint = await startTestFlint();
  admin = new pg.Client({ connectionString: flint.testDb.url });
  await admin.connect();
  table = flint.ctx.storages.storageFor('Patient')!.table;
});
after(async () => {
  if (skip) return;
  await admin.end();
  await flint.stop();
});

/** Holds the Patient table locked on a connection of its own until the returned function is called. */
async function lockPatients(): Promise<() => Promise<void>> {
  const holder = new pg.Client({ connectionString: flint.testDb.url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${pg.escapeIdentifier(table)} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await holder.query('ROLLBACK');
    await holder.end();
  };
}

/** The backends of this database waiting for a lock. */
async function lockWaiters(): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
  return rows.map((row) => row.pid);
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never saw ${what}`);
}

const waiter = () => waitFor(async () => (await lockWaiters())[0], 'a backend waiting for the lock');

const bundleOf = (family: string) => ({
  resourceType: 'Bundle', type: 'transaction',
  entry: [{ resource: { resourceType: 'Patient', name: [{ family }] }, request: { method: 'POST', url: 'Patient' } }],
});
const bundle = bundleOf('Lost');

describe('a connection ended under a request', { skip }, () => {
  for (const [name, send] of [
    ['a search', () => flint.get('/fhir/Patient?family=Lost')],
    ['a transaction Bundle', () => flint.post('/fhir', bundle)],
  ] as const) {
    it(`answers 503 db.connection-lost with Retry-After to ${name}, and the server goes on`, async () => {
      const unlock = await lockPatients();
      try {
        const answer = send();
        await admin.query('SELECT pg_terminate_backend($1)', [await waiter()]);
        const lost = await answer;
        assert.equal(lost.status, 503);
        assert.deepEqual(issueCodes(lost.body), ['db.connection-lost']);
        assert.equal(lost.headers['retry-after'], '5');
      } finally {
        await unlock();
      }
      assert.equal((await flint.post('/fhir', bundle)).status, 200);
      const found = await flint.get('/fhir/Patient?family=Lost');
      assert.equal(found.status, 200);
      assert.equal(found.body.entry.length, 1);
      await flint.delete(`/fhir/Patient/${found.body.entry[0].resource.id}`);
    });
  }
});

/** Sends a request over a socket and closes it once the request's backend waits for the lock. */
async function sendAndGiveUp(port: number, method: string, path: string, body?: unknown): Promise<void> {
  const contentType = typeof body === 'string' ? 'text/plain' : 'application/fhir+json';
  const request = httpRequest({ port, method, path, headers: { authorization: ROOT_BASIC, 'content-type': contentType } });
  request.on('error', () => undefined);
  request.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  await waiter();
  request.destroy();
}

describe('a client that goes away', { skip }, () => {
  let port: number;
  before(async () => {
    if (skip) return;
    await flint.app.listen({ port: 0, host: '127.0.0.1' });
    port = (flint.app.server.address() as AddressInfo).port;
  });

  for (const [name, method, path, body] of [
    ['a search', 'GET', '/fhir/Patient?family=Gone', undefined],
    ['a transaction Bundle', 'POST', '/fhir', bundle],
    ['$sql', 'POST', '/$sql', 'SELECT count(*) FROM patient'],
  ] as const) {
    it(`cancels the statement of ${name} (the lock is still held)`, async () => {
      const unlock = await lockPatients();
      try {
        await sendAndGiveUp(port, method, path, body);
        await waitFor(async () => ((await lockWaiters()).length === 0 ? true : undefined), 'the waiting statement cancelled');
      } finally {
        await unlock();
      }
      assert.equal((await flint.get('/fhir/Patient?family=Gone')).status, 200);
    });
  }
});

describe('/health', { skip }, () => {
  it('answers 200 while slow requests hold every connection of the pool (it has a connection of its own)', async () => {
    const unlock = await lockPatients();
    const held = Array.from({ length: 10 }, () => flint.post('/fhir', bundleOf('Health')));
    try {
      await waitFor(async () => ((await lockWaiters()).length >= 10 ? true : undefined), 'the pool taken by waiting Bundles');
      const health = await flint.get('/health');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'pass');
    } finally {
      await unlock();
      await Promise.all(held);
    }
  });
});
