/**
 * Row rules on the engine's paths other than search (engine/visible-rows.ts): read and vread of a
 * hidden row answer as a missing one, a deleted one whose last version is hidden too; history of an
 * instance, a type and the system lists only visible versions (paged); conditional writes match
 * only visible rows; a write never changes a hidden row, nor stores one outside the caller's rows
 * (403, nothing written), alone or in a batch or transaction; $validate counts hidden references
 * as missing; $run reads only visible rows. Expected ids are written out from the fixture.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_ROWS } from '../../src/core/index.js';
import type { RequestGuard } from '../../src/engine/index.js';
import { asCaller, compartment, criteria, rowsOf, type EngineCall } from '../support/row-rules.js';
import { startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
let root: EngineCall;
let p1Caller: EngineCall;

const observation = (id: string | undefined, subject: string, code = 'x') => ({
  resourceType: 'Observation', ...(id ? { id } : {}), status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] }, subject: { reference: `Patient/${subject}` },
});

/** The caller sees (and writes) p1 and p1's observations; no other row of any type. */
const P1_ONLY = rowsOf({ Observation: criteria('subject=Patient/p1'), Patient: compartment('Patient', 'p1'), ViewDefinition: ALL_ROWS });

/** Versions by id: o3's first version is p1's, its second p2's. */
const versions: Record<string, string[]> = {};

async function write(method: 'PUT' | 'DELETE', url: string, body?: unknown): Promise<void> {
  const answer = await root(method, url, body);
  assert.ok(answer.status < 300, `${method} ${url}: ${answer.status} ${answer.code}`);
  if (answer.body?.meta?.versionId) (versions[answer.body.id] ??= []).push(answer.body.meta.versionId);
}

async function observationCount(): Promise<number> {
  return (await root('GET', 'Observation?_summary=count')).body.total;
}

before(async () => {
  flint = await startTestFlint();
  root = asCaller(flint.ctx, undefined);
  p1Caller = asCaller(flint.ctx, P1_ONLY);
  await write('PUT', 'Patient/p1', { resourceType: 'Patient', id: 'p1' });
  await write('PUT', 'Patient/p2', { resourceType: 'Patient', id: 'p2' });
  await write('PUT', 'Observation/o1', observation('o1', 'p1'));
  await write('PUT', 'Observation/o1', { ...observation('o1', 'p1'), status: 'amended' });
  await write('PUT', 'Observation/o2', observation('o2', 'p2'));
  await write('PUT', 'Observation/o3', observation('o3', 'p1', 'y'));
  await write('PUT', 'Observation/o3', observation('o3', 'p2', 'y'));
  await write('PUT', 'Observation/o4', observation('o4', 'p2', 'y'));
  await write('DELETE', 'Observation/o4');
  await write('PUT', 'Observation/o5', observation('o5', 'p1', 'y'));
  await write('DELETE', 'Observation/o5');
});
after(async () => { await flint?.stop(); });

describe('read and vread under row rules', () => {
  it('a hidden row is not found, with the code of a missing id', async () => {
    assert.equal((await p1Caller('GET', 'Observation/o1')).status, 200);
    const hidden = await p1Caller('GET', 'Observation/o2');
    const missing = await p1Caller('GET', 'Observation/nope');
    assert.deepEqual([hidden.status, hidden.code], [404, 'rest.resource-not-found']);
    assert.deepEqual([missing.status, missing.code], [404, 'rest.resource-not-found']);
    assert.equal((await p1Caller('GET', 'Patient/p2')).status, 404);
    assert.equal((await p1Caller('GET', 'Observation/o3')).status, 404, 'o3 is p2\'s now');
  });

  it('a deleted row whose last version is hidden is 404, a visible one 410', async () => {
    const hidden = await p1Caller('GET', 'Observation/o4');
    assert.deepEqual([hidden.status, hidden.code], [404, 'rest.resource-not-found']);
    assert.equal((await p1Caller('GET', 'Observation/o5')).status, 410);
  });

  it('vread: a visible version is read, a hidden one is not found', async () => {
    const [first, second] = versions.o3;
    assert.equal((await p1Caller('GET', `Observation/o3/_history/${first}`)).status, 200);
    const hidden = await p1Caller('GET', `Observation/o3/_history/${second}`);
    assert.deepEqual([hidden.status, hidden.code], [404, 'rest.version-not-found']);
    assert.equal((await root('GET', `Observation/o3/_history/${second}`)).status, 200);
  });
});

describe('history under row rules', () => {
  const versionIds = (bundle: any) => bundle.entry.map((entry: any) => entry.response.etag.replace(/^W\/"|"$/g, ''));

  it('instance: only the visible versions, counted; none visible is not found', async () => {
    const answer = await p1Caller('GET', 'Observation/o3/_history');
    assert.deepEqual(versionIds(answer.body), [versions.o3[0]]);
    assert.equal(answer.body.total, 1);
    assert.equal((await p1Caller('GET', 'Observation/o2/_history')).code, 'rest.resource-not-found');
  });

  it('type: the visible versions, newest first, the same over pages of 2', async () => {
    const expected = ['o5', 'o5', 'o3', 'o1', 'o1'];
    const answer = await p1Caller('GET', 'Observation/_history');
    assert.deepEqual(answer.body.entry.map((entry: any) => entry.fullUrl.split('/').pop()), expected);
    const paged: string[] = [];
    let url: string | undefined = 'Observation/_history?_count=2';
    while (url) {
      const page = await p1Caller('GET', url);
      paged.push(...page.body.entry.map((entry: any) => entry.fullUrl.split('/').pop()));
      url = page.body.link.find((link: any) => link.relation === 'next')?.url;
    }
    assert.deepEqual(paged, expected);
  });

  it('system: each type by its own rule, _since kept', async () => {
    const answer = await p1Caller('GET', '_history?_since=2000-01-01T00:00:00Z');
    const keys = answer.body.entry.map((entry: any) => entry.fullUrl.split('/').slice(-2).join('/'));
    assert.deepEqual(keys, ['Observation/o5', 'Observation/o5', 'Observation/o3', 'Observation/o1', 'Observation/o1', 'Patient/p1']);
  });
});

describe('writes under row rules', () => {
  it('update and patch of a hidden row: not found; its delete answers as for a missing id; nothing written', async () => {
    const before = (await root('GET', 'Observation/o2')).body.meta.versionId;
    assert.equal((await p1Caller('PUT', 'Observation/o2', observation('o2', 'p1'))).code, 'rest.resource-not-found');
    assert.equal((await p1Caller('PATCH', 'Observation/o2', [{ op: 'replace', path: '/status', value: 'amended' }])).code, 'rest.resource-not-found');
    const hidden = await p1Caller('DELETE', 'Observation/o2');
    const missing = await p1Caller('DELETE', 'Observation/no-such-observation');
    assert.deepEqual([hidden.status, hidden.body], [missing.status, missing.body]);
    assert.equal(hidden.status, 204);
    const after = await root('GET', 'Observation/o2');
    assert.deepEqual([after.status, after.body.meta.versionId], [200, before]);
  });

  it('a resource outside the rows: 403 access.write-outside-rows, nothing written', async () => {
    const count = await observationCount();
    const created = await p1Caller('POST', 'Observation', observation(undefined, 'p2'));
    assert.deepEqual([created.status, created.code], [403, 'access.write-outside-rows']);
    const moved = await p1Caller('PUT', 'Observation/o1', observation('o1', 'p2'));
    assert.equal(moved.code, 'access.write-outside-rows');
    const patched = await p1Caller('PATCH', 'Observation/o1', [{ op: 'replace', path: '/subject/reference', value: 'Patient/p2' }]);
    assert.equal(patched.code, 'access.write-outside-rows');
    assert.equal(await observationCount(), count);
    assert.equal((await root('GET', 'Observation/o1')).body.subject.reference, 'Patient/p1');
    const inside = await p1Caller('POST', 'Observation', observation(undefined, 'p1', 'new'));
    assert.equal(inside.status, 201);
  });

  it('a conditional update matches only the visible rows', async () => {
    assert.equal((await root('PUT', 'Observation?code=x', observation(undefined, 'p1'))).code, 'rest.multiple-matches');
    const answer = await p1Caller('PUT', 'Observation?code=x', { ...observation(undefined, 'p1'), status: 'corrected' });
    assert.deepEqual([answer.status, answer.body.id], [200, 'o1']);
    assert.equal((await root('GET', 'Observation/o2')).body.status, 'final');
  });

  it('a conditional delete deletes only the visible matches', async () => {
    await write('PUT', 'Observation/d1', observation('d1', 'p1', 'del'));
    await write('PUT', 'Observation/d2', observation('d2', 'p2', 'del'));
    assert.ok((await p1Caller('DELETE', 'Observation?code=del&_multiple=true')).status < 300);
    assert.equal((await root('GET', 'Observation/d1')).status, 410);
    assert.equal((await root('GET', 'Observation/d2')).status, 200);
  });

  it('a transaction: each entry checked, one outside the rows fails all of it', async () => {
    const count = await observationCount();
    const entry = (subject: string) => ({ request: { method: 'POST', url: 'Observation' }, resource: observation(undefined, subject, 'tx') });
    const refused = await p1Caller('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [entry('p1'), entry('p2')] });
    assert.deepEqual([refused.status, refused.code], [403, 'access.write-outside-rows']);
    assert.equal(await observationCount(), count);
    const hidden = await p1Caller('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'Observation/o2' } }] });
    assert.equal(hidden.status, 200, 'a hidden row is deleted as a missing one: nothing');
    assert.equal((await root('GET', 'Observation/o2')).status, 200);
  });

  it('a conditional reference of a transaction resolves only among visible rows', async () => {
    const bundle = {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ request: { method: 'POST', url: 'Observation' }, resource: { ...observation(undefined, 'p1', 'ref'), performer: [{ reference: 'Patient?_id=p2' }] } }],
    };
    assert.equal((await p1Caller('POST', '', bundle)).code, 'transaction.conditional-reference');
    assert.equal((await root('POST', '', bundle)).status, 200);
  });

  it('a batch: each entry checked on its own', async () => {
    const entry = (subject: string) => ({ request: { method: 'POST', url: 'Observation' }, resource: observation(undefined, subject, 'batch') });
    const answer = await p1Caller('POST', '', { resourceType: 'Bundle', type: 'batch', entry: [entry('p1'), entry('p2'), { request: { method: 'GET', url: 'Observation/o2' } }] });
    assert.deepEqual(answer.body.entry.map((item: any) => item.response.status.slice(0, 3)), ['201', '403', '404']);
  });
});

describe('operations under row rules', () => {
  it('$validate with stored references: a hidden target is missing', async () => {
    const headers = { 'x-validate-references': 'true' };
    const body = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: observation(undefined, 'p2') }] };
    const errors = (answer: any) => answer.body.issue.filter((issue: any) => issue.severity === 'error').length;
    assert.equal(errors(await root('POST', 'Observation/$validate', body, headers)), 0);
    assert.ok(errors(await p1Caller('POST', 'Observation/$validate', body, headers)) > 0);
  });

  it('$validate of a stored resource: a hidden one is not known', async () => {
    const codes = (answer: any) => answer.body.issue.map((issue: any) => issue.code);
    assert.ok(!codes(await root('GET', 'Observation/o2/$validate')).includes('not-found'));
    assert.ok(codes(await p1Caller('GET', 'Observation/o2/$validate')).includes('not-found'));
  });

  it('$run reads only the visible rows of the view\'s type', async () => {
    const view = { resourceType: 'ViewDefinition', name: 'ids', status: 'active', resource: 'Observation', select: [{ column: [{ name: 'id', path: 'id' }] }] };
    const run = async (caller: EngineCall) => {
      const answer = await caller('POST', 'ViewDefinition/$run', { resourceType: 'Parameters', parameter: [{ name: 'viewResource', resource: view }] });
      const rows = JSON.parse(Buffer.from(answer.body.data, 'base64').toString()) as { id: string }[];
      return rows.map((row) => row.id).sort();
    };
    const everything = await run(root);
    const visible = (await root('GET', 'Observation?subject=Patient/p1&_count=100')).body.entry.map((entry: any) => entry.resource.id).sort();
    assert.ok(everything.includes('o2'));
    assert.deepEqual(await run(p1Caller), visible);
    assert.ok(visible.includes('o1') && !visible.includes('o2'));
  });

  it('$run streamed over HTTP: the guards run and set the rows, as on the engine\'s path', async () => {
    // A guard as the access module's: it gives the request its caller's rows.
    const guard: RequestGuard = (request) => {
      if (request.headers['x-test-rows'] === 'p1') request.rows = P1_ONLY;
    };
    flint.ctx.guards = [...(flint.ctx.guards ?? []), guard];
    const view = { resourceType: 'ViewDefinition', name: 'ids', status: 'active', resource: 'Observation', select: [{ column: [{ name: 'id', path: 'id' }] }] };
    const body = { resourceType: 'Parameters', parameter: [{ name: 'viewResource', resource: view }, { name: '_format', valueCode: 'json' }] };
    const idsOf = (text: string) => (JSON.parse(text) as { id: string }[]).map((row) => row.id).sort();
    const all = idsOf((await flint.post('/fhir/ViewDefinition/$run', body)).text);
    const narrowed = idsOf((await flint.post('/fhir/ViewDefinition/$run', body, { headers: { 'x-test-rows': 'p1' } })).text);
    const visible = (await root('GET', 'Observation?subject=Patient/p1&_count=100')).body.entry.map((entry: any) => entry.resource.id).sort();
    assert.ok(all.includes('o2'));
    assert.deepEqual(narrowed, visible);
  });
});
