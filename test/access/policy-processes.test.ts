/**
 * Two server processes on one PostgreSQL database: an AccessPolicy written, changed or deleted
 * through one takes effect on the other within a second (LISTEN/NOTIFY through the metadata sync),
 * and so does a Role that gives a user a policy's role (the identity cache is cleared by NOTIFY).
 * Needs the real PostgreSQL; the embedded database belongs to one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';
import { basic, putClient } from './access-helpers.js';
import { within } from '../support/eventually.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
let flint: TestFlint;
let other: ServerProcess;
const APP = basic('app', 'app-secret');

before(async () => {
  if (!onPostgres) return;
  flint = await startTestFlint();
  await putClient(flint, 'app', { secret: 'app-secret' });
  other = await startServerProcess({ DATABASE_URL: flint.testDb.url as string });
});
after(async () => {
  if (!onPostgres) return;
  await other.stop();
  await flint.stop();
});

const statusOnOther = async (path: string) => (await fetch(`${other.baseUrl}${path}`, { headers: { authorization: APP } })).status;

describe('policies across processes', { skip: onPostgres ? false : 'needs the real PostgreSQL (DATABASE_URL)' }, () => {
  it('a new policy allows on the other process within a second, a changed one narrows, a deleted one denies', async () => {
    assert.equal(await statusOnOther('/fhir/Patient'), 403);
    const policy = { resourceType: 'AccessPolicy', id: 'app-allow', engine: 'allow', link: [{ reference: 'Client/app' }] };
    assert.equal((await flint.put('/fhir/AccessPolicy/app-allow', policy)).status, 201);
    await within(1000, async () => (await statusOnOther('/fhir/Patient')) === 200);
    assert.equal((await flint.put('/fhir/AccessPolicy/app-allow', { ...policy, rows: ['Observation'] })).status, 200);
    await within(1000, async () => (await statusOnOther('/fhir/Patient')) === 403);
    assert.equal(await statusOnOther('/fhir/Observation'), 200);
    assert.equal((await flint.delete('/fhir/AccessPolicy/app-allow')).status, 204);
    await within(1000, async () => (await statusOnOther('/fhir/Observation')) === 403);
  });
});
