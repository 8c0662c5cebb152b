/**
 * A conditional write answers alike alone, as a transaction entry and as a batch entry
 * (http://hl7.org/fhir/R4/http.html#ccreate, #cond-update, #patch, #cdelete, #transaction): the
 * same status, issue code, issue type and message when the criteria match more than one resource,
 * the same result when they match one or none, and a failed transaction writes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type FhirAnswer, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => {
  flint = await startTestFlint();
  for (const name of ['first', 'second']) await flint.post('/fhir/Patient', twin(name));
});
after(async () => { await flint.stop(); });

const CRITERIA = 'identifier=urn:shared|twin';

function twin(name: string) {
  return { resourceType: 'Patient', identifier: [{ system: 'urn:shared', value: 'twin' }], name: [{ text: name }] };
}

const addActive = {
  resourceType: 'Parameters',
  parameter: [{ name: 'operation', part: [
    { name: 'type', valueCode: 'add' }, { name: 'path', valueString: 'Patient' },
    { name: 'name', valueString: 'active' }, { name: 'value', valueBoolean: true },
  ] }],
};

interface ConditionalCase {
  write: string;
  alone: () => Promise<FhirAnswer>;
  /** The same request as a Bundle entry. */
  entry: object;
}

const cases: ConditionalCase[] = [
  {
    write: 'create (If-None-Exist)',
    alone: () => flint.post('/fhir/Patient', twin('third'), { headers: { 'if-none-exist': CRITERIA } }),
    entry: { request: { method: 'POST', url: 'Patient', ifNoneExist: CRITERIA }, resource: twin('third') },
  },
  {
    write: 'update (PUT Type?criteria)',
    alone: () => flint.put(`/fhir/Patient?${CRITERIA}`, twin('third')),
    entry: { request: { method: 'PUT', url: `Patient?${CRITERIA}` }, resource: twin('third') },
  },
  {
    write: 'patch (PATCH Type?criteria)',
    alone: () => flint.patch(`/fhir/Patient?${CRITERIA}`, addActive),
    entry: { request: { method: 'PATCH', url: `Patient?${CRITERIA}` }, resource: addActive },
  },
  {
    write: 'delete (DELETE Type?criteria)',
    alone: () => flint.delete(`/fhir/Patient?${CRITERIA}`),
    entry: { request: { method: 'DELETE', url: `Patient?${CRITERIA}` } },
  },
];

const bundle = (type: 'transaction' | 'batch', entry: object) => ({ resourceType: 'Bundle', type, entry: [entry] });

async function twins(): Promise<number> {
  return (await flint.get(`/fhir/Patient?${CRITERIA}&_summary=count`)).body.total;
}

describe('a conditional write with several matches answers alike alone and in Bundles', () => {
  for (const { write, alone, entry } of cases) {
    it(`${write}: 412 rest.multiple-matches (multiple-matches) alone, in a transaction and in a batch`, async () => {
      const single = await alone();
      assert.equal(single.status, 412, single.text);
      assert.deepEqual(issueCodes(single.body), ['rest.multiple-matches']);
      assert.equal(single.body.issue[0].code, 'multiple-matches');

      const inTransaction = await flint.post('/fhir', bundle('transaction', entry));
      assert.equal(inTransaction.status, single.status, inTransaction.text);
      assert.deepEqual(issueCodes(inTransaction.body), issueCodes(single.body));
      assert.equal(inTransaction.body.issue[0].code, single.body.issue[0].code);
      assert.equal(inTransaction.body.issue[0].diagnostics, `Bundle.entry[0]: ${single.body.issue[0].diagnostics}`);

      const inBatch = await flint.post('/fhir', bundle('batch', entry));
      const response = inBatch.body.entry[0].response;
      assert.equal(response.status, '412 Precondition Failed');
      assert.deepEqual(issueCodes(response.outcome), issueCodes(single.body));
      assert.equal(response.outcome.issue[0].code, single.body.issue[0].code);
      assert.equal(await twins(), 2, 'nothing was written');
    });
  }
});

describe('a conditional write with one or no match answers alike alone and in a transaction', () => {
  it('If-None-Exist with one match answers the match (200) and writes nothing, alone and in a transaction', async () => {
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:shared', value: 'single' }] });
    const criteria = 'identifier=urn:shared|single';
    const single = await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true }, { headers: { 'if-none-exist': criteria } });
    const inTransaction = await flint.post('/fhir', bundle('transaction',
      { request: { method: 'POST', url: 'Patient', ifNoneExist: criteria }, resource: { resourceType: 'Patient', active: true } }));
    assert.equal(single.status, 200);
    assert.equal(single.body.id, created.body.id);
    assert.equal(inTransaction.body.entry[0].response.status, '200 OK');
    assert.equal(inTransaction.body.entry[0].resource.id, created.body.id);
    assert.equal(inTransaction.body.entry[0].response.etag, single.headers.etag);
    assert.equal((await flint.get(`/fhir/Patient?${criteria}&_summary=count`)).body.total, 1);
  });

  it('a conditional update whose body id differs from the match is 400 rest.id-mismatch, alone and in a transaction', async () => {
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:shared', value: 'other-id' }] });
    const url = 'Patient?identifier=urn:shared|other-id';
    const body = { resourceType: 'Patient', id: 'not-the-match', identifier: [{ system: 'urn:shared', value: 'other-id' }] };
    const single = await flint.put(`/fhir/${url}`, body);
    const inTransaction = await flint.post('/fhir', bundle('transaction', { request: { method: 'PUT', url }, resource: body }));
    for (const answer of [single, inTransaction]) {
      assert.equal(answer.status, 400, answer.text);
      assert.deepEqual(issueCodes(answer.body), ['rest.id-mismatch']);
    }
    assert.equal((await flint.get(`/fhir/Patient/${created.body.id}`)).body.meta.versionId, created.body.meta.versionId);
  });

  it('a conditional delete with no match succeeds alone and in a transaction', async () => {
    const url = 'Patient?identifier=urn:shared|nobody';
    const single = await flint.delete(`/fhir/${url}`);
    const inTransaction = await flint.post('/fhir', bundle('transaction', { request: { method: 'DELETE', url } }));
    assert.equal(single.status, 204);
    assert.equal(inTransaction.status, 200, inTransaction.text);
    assert.equal(inTransaction.body.entry[0].response.status, '204 No Content');
  });
});
