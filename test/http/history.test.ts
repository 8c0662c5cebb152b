/**
 * History of an instance, a type and the system (http://hl7.org/fhir/R4/http.html#history):
 * order, entries, _count paging by txid, _since, _at, and bad parameters.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('instance history', () => {
  it('lists every version newest first, deletions included, with a total', async () => {
    const v1 = (await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true })).body;
    const v2 = (await flint.put(`/fhir/Patient/${v1.id}`, { resourceType: 'Patient', id: v1.id, active: false })).body;
    await flint.delete(`/fhir/Patient/${v1.id}`);
    const history = (await flint.get(`/fhir/Patient/${v1.id}/_history`)).body;
    assert.equal(history.type, 'history');
    assert.equal(history.total, 3);
    assert.deepEqual(history.entry.map((entry: any) => entry.request.method), ['DELETE', 'PUT', 'POST']);
    assert.equal(history.entry[0].resource, undefined);
    assert.equal(history.entry[1].resource.meta.versionId, v2.meta.versionId);
    assert.equal(history.entry[2].resource.active, true);
    assert.equal(history.entry[2].fullUrl, `http://flint.test/fhir/Patient/${v1.id}`);
  });

  it('answers 404 for an id that never existed', async () => {
    assert.equal((await flint.get('/fhir/Patient/never-1/_history')).status, 404);
  });
});

describe('type and system history', () => {
  it('pages with _count and next links that stay stable while others write', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await flint.post('/fhir/Encounter', { resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' } })).body.id);
    const first = (await flint.get('/fhir/Encounter/_history?_count=2')).body;
    assert.equal(first.entry.length, 2);
    const next = first.link.find((link: any) => link.relation === 'next').url;
    await flint.post('/fhir/Encounter', { resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' } });
    const second = (await flint.get(next.replace('http://flint.test', ''))).body;
    assert.deepEqual(second.entry.map((entry: any) => entry.resource.id), [ids[2], ids[1]]);
    const third = (await flint.get(second.link.find((link: any) => link.relation === 'next').url.replace('http://flint.test', ''))).body;
    assert.deepEqual(third.entry.map((entry: any) => entry.resource.id), [ids[0]]);
    assert.equal(third.link.find((link: any) => link.relation === 'next'), undefined);
  });

  it('lists changes of every type in system history', async () => {
    const a = (await flint.post('/fhir/Organization', { resourceType: 'Organization', name: 'A' })).body;
    const b = (await flint.post('/fhir/Practitioner', { resourceType: 'Practitioner', active: true })).body;
    // Every request stores its AuditEvent (docs/audit.md), a change too: the other changes are compared.
    const history = (await flint.get('/fhir/_history?_count=50')).body;
    const changes = history.entry.map((entry: any) => entry.resource ? `${entry.resource.resourceType}/${entry.resource.id}` : entry.request.url);
    assert.deepEqual(changes.filter((path: string) => !path.startsWith('AuditEvent/')).slice(0, 2), [`Practitioner/${b.id}`, `Organization/${a.id}`]);
    assert.ok(changes.some((path: string) => path.startsWith('AuditEvent/')));
  });

  it('filters with _since', async () => {
    await flint.post('/fhir/Device', { resourceType: 'Device', status: 'active' });
    await sleep(20);
    const since = new Date().toISOString();
    await sleep(20);
    const late = (await flint.post('/fhir/Device', { resourceType: 'Device', status: 'inactive' })).body;
    const history = (await flint.get(`/fhir/Device/_history?_since=${encodeURIComponent(since)}`)).body;
    assert.deepEqual(history.entry.map((entry: any) => entry.resource.id), [late.id]);
  });

  it('finds the version current at a time with _at', async () => {
    const v1 = (await flint.post('/fhir/Location', { resourceType: 'Location', name: 'first' })).body;
    await sleep(30);
    const between = new Date().toISOString();
    await sleep(30);
    await flint.put(`/fhir/Location/${v1.id}`, { resourceType: 'Location', id: v1.id, name: 'second' });
    const history = (await flint.get(`/fhir/Location/${v1.id}/_history?_at=${encodeURIComponent(between)}`)).body;
    assert.deepEqual(history.entry.map((entry: any) => entry.resource.name), ['first']);
  });
});

describe('bad history parameters', () => {
  for (const query of ['_count=abc', '_since=yesterday', '_since=2024-01-01', '_at=notadate', '_foo=1', '_cursor=x']) {
    it(`rejects ${query} with 400`, async () => {
      const answer = await flint.get(`/fhir/Patient/_history?${query}`);
      assert.equal(answer.status, 400);
      assert.match(issueCodes(answer.body)[0], /^rest\.(bad|unknown)-history-parameter$/);
    });
  }
});
