/**
 * Validation inside transaction Bundles: each entry's body is validated (ahead of the writes, while
 * the previous entry is written) exactly once, in the mode of its write, and an invalid entry
 * anywhere fails the whole transaction naming that entry, with nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Issue, Resource } from '../../src/core/index.js';
import type { ValidationRequest } from '../../src/engine/engine-context.js';
import { ValidationsAhead } from '../../src/engine/validation-ahead.js';
import { sql } from '../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
let calls: { id?: string; family?: string; mode: string }[] = [];

before(async () => {
  flint = await startTestFlint();
  const validator = flint.ctx.validator;
  flint.ctx.validator = {
    validate(resource: Resource, request: ValidationRequest) {
      calls.push({ id: resource.id, family: (resource as { name?: { family?: string }[] }).name?.[0]?.family, mode: request.mode });
      return validator.validate(resource, request);
    },
  };
});
after(async () => { await flint.stop(); });
beforeEach(() => { calls = []; });

const transaction = (entry: object[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });
const postPatient = (family: string, extra: object = {}) => ({
  request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ family }], ...extra },
});
const putPatient = (id: string, extra: object = {}) => ({
  request: { method: 'PUT', url: `Patient/${id}` }, resource: { resourceType: 'Patient', id, ...extra },
});

async function patientsNamed(prefix: string): Promise<number> {
  const { rows } = await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM patient WHERE resource->'name'->0->>'family' LIKE ${`${prefix}%`}`);
  return Number(rows[0].n);
}

describe('validation in a transaction', () => {
  it('validates every create and update once, in its own mode', async () => {
    const entries = [...Array.from({ length: 20 }, (_, i) => postPatient(`ahead-once-${i}`)), putPatient('ahead-once-put', { active: true })];
    const answer = await flint.post('/fhir', transaction(entries));
    assert.equal(answer.status, 200);
    const creates = calls.filter((call) => call.family?.startsWith('ahead-once-'));
    assert.deepEqual(creates.map((call) => call.family).sort(), Array.from({ length: 20 }, (_, i) => `ahead-once-${i}`).sort());
    assert.ok(creates.every((call) => call.mode === 'create'));
    assert.deepEqual(calls.filter((call) => call.id === 'ahead-once-put').map((call) => call.mode), ['update']);
    assert.equal(await patientsNamed('ahead-once-'), 20);
  });

  for (const position of [0, 1, 7, 14]) {
    it(`fails whole when the create at entry ${position} is invalid, naming it`, async () => {
      const prefix = `ahead-bad-${position}-`;
      const entries = Array.from({ length: 15 }, (_, i) => postPatient(`${prefix}${i}`, i === position ? { gender: 'sometimes' } : {}));
      const answer = await flint.post('/fhir', transaction(entries));
      assert.equal(answer.status, 422);
      assert.ok(answer.body.issue.some((issue: Issue) => issue.expression?.[0]?.startsWith(`Bundle.entry[${position}]`)), JSON.stringify(answer.body));
      assert.equal(await patientsNamed(prefix), 0);
    });
  }

  it('fails whole when an update after creates is invalid', async () => {
    const answer = await flint.post('/fhir', transaction([
      postPatient('ahead-put-bad-0'), postPatient('ahead-put-bad-1'), putPatient('ahead-put-bad', { birthDate: 'yesterday' }),
    ]));
    assert.ok(answer.status === 400 || answer.status === 422, String(answer.status));
    assert.ok(answer.body.issue.some((issue: Issue) => issue.expression?.[0]?.startsWith('Bundle.entry[2]')), JSON.stringify(answer.body));
    assert.equal(await patientsNamed('ahead-put-bad-'), 0);
    assert.equal((await flint.get('/fhir/Patient/ahead-put-bad')).status, 404);
  });

  it('reports the failing write, not the invalid entry after it, when a write fails first', async () => {
    const existing = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const answer = await flint.post('/fhir', transaction([
      { request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"1"' }, resource: { ...existing, active: false } },
      putPatient('ahead-after-412', { gender: 'sometimes' }),
    ]));
    assert.equal(answer.status, 412);
    assert.equal((await flint.get(`/fhir/Patient/${existing.id}`)).body.active, true);
  });
});

describe('ValidationsAhead', () => {
  const resource = (): Resource => ({ resourceType: 'Patient' });
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('runs a scheduled validation on the next turn, once, and hands it to the claim', async () => {
    const ahead = new ValidationsAhead();
    const patient = resource();
    let runs = 0;
    ahead.schedule(patient, 'create', async () => { runs++; return []; });
    assert.equal(runs, 0);
    await turn();
    assert.equal(runs, 1);
    assert.deepEqual(await ahead.claim(patient, 'create'), []);
    assert.equal(runs, 1);
    assert.equal(ahead.claim(patient, 'create'), undefined);
  });

  it('runs it at once when claimed before its turn, and not again on the turn', async () => {
    const ahead = new ValidationsAhead();
    const patient = resource();
    let runs = 0;
    ahead.schedule(patient, 'update', async () => { runs++; return []; });
    await ahead.claim(patient, 'update');
    await turn();
    assert.equal(runs, 1);
  });

  it('gives nothing for another mode or an unscheduled resource', () => {
    const ahead = new ValidationsAhead();
    const patient = resource();
    ahead.schedule(patient, 'create', async () => []);
    assert.equal(ahead.claim(patient, 'update'), undefined);
    assert.equal(ahead.claim(resource(), 'create'), undefined);
  });

  it('keeps a failure for the claim, and starts nothing after close', async () => {
    const ahead = new ValidationsAhead();
    const failing = resource();
    const late = resource();
    ahead.schedule(failing, 'create', () => { throw new Error('broken'); });
    await turn();
    await assert.rejects(ahead.claim(failing, 'create') as Promise<Issue[]>, /broken/);
    let lateRuns = 0;
    ahead.schedule(late, 'create', async () => { lateRuns++; return []; });
    ahead.close();
    await turn();
    assert.equal(lateRuns, 0);
  });
});
