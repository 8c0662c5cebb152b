/**
 * Transaction rules (http://hl7.org/fhir/R4/http.html#trules): links to entries are replaced in
 * every element of type uri, url and canonical and in narrative href/src, by the model's element
 * types (a string that only looks like a urn:uuid stays, and oid and uuid values keep their form);
 * and a transaction in
 * which one resource is changed by two entries, conditional URLs resolved, fails as a whole.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const transaction = (entry: object[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });
const PAT = 'urn:uuid:6a3e2c52-1b6c-4f0e-9a55-0f6e6c0c1a01';
const BIN = 'urn:uuid:6a3e2c52-1b6c-4f0e-9a55-0f6e6c0c1a02';
const OID = 'urn:oid:1.2.3.4.5';

describe(`urn:uuid links in typed elements (${usingPostgresNote()})`, () => {
  it('replaces uri, url and canonical values and narrative links, and nothing typed otherwise', async () => {
    const documentReference = {
      resourceType: 'DocumentReference', status: 'current',
      meta: { source: PAT },
      subject: { reference: PAT },
      identifier: [{ system: PAT, value: PAT }],
      type: { coding: [{ system: 'http://example.org/codes', code: PAT }] },
      content: [{ attachment: { contentType: 'text/plain', url: BIN } }],
      extension: [
        { url: 'http://example.org/uri', valueUri: PAT },
        { url: 'http://example.org/canonical', valueCanonical: PAT },
        { url: 'http://example.org/url', valueUrl: BIN },
        { url: 'http://example.org/oid', valueOid: OID },
        { url: 'http://example.org/uuid', valueUuid: PAT },
        { url: 'http://example.org/string', valueString: PAT },
        { url: 'http://example.org/provenance', valueReference: { reference: '#p' } },
      ],
      _status: { extension: [{ url: 'http://example.org/why', valueUri: PAT }] },
      contained: [{ resourceType: 'Provenance', id: 'p', recorded: '2024-01-01T00:00:00Z', policy: [PAT, 'http://example.org/policy'],
        agent: [{ who: { reference: PAT } }], target: [{ reference: PAT }] }],
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><a href="${PAT}">patient</a><img src="${BIN}"/> ${PAT}</div>` },
    };
    const answer = await flint.post('/fhir', transaction([
      { fullUrl: 'urn:uuid:6a3e2c52-1b6c-4f0e-9a55-0f6e6c0c1a03', request: { method: 'POST', url: 'DocumentReference' }, resource: documentReference },
      { fullUrl: PAT, request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', active: true } },
      { fullUrl: BIN, request: { method: 'POST', url: 'Binary' }, resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGk=' } },
      { fullUrl: OID, request: { method: 'POST', url: 'Organization' }, resource: { resourceType: 'Organization', name: 'by oid' } },
    ]));
    assert.equal(answer.status, 200, answer.text);
    const [docEntry, patEntry, binEntry, orgEntry] = answer.body.entry;
    const patient = `Patient/${patEntry.resource.id}`;
    const binary = `Binary/${binEntry.resource.id}`;
    const doc = (await flint.get(`/fhir/DocumentReference/${docEntry.resource.id}`)).body;
    assert.equal(doc.subject.reference, patient);
    assert.equal(doc.meta.source, patient);
    assert.equal(doc.identifier[0].system, patient, 'Identifier.system is a uri');
    assert.equal(doc.identifier[0].value, PAT, 'Identifier.value is a string');
    assert.equal(doc.type.coding[0].code, PAT, 'Coding.code is a code');
    assert.equal(doc.content[0].attachment.url, binary);
    assert.deepEqual(doc.extension.map((extension: any) => extension.valueUri ?? extension.valueCanonical ?? extension.valueUrl
      ?? extension.valueOid ?? extension.valueUuid ?? extension.valueString),
    [patient, patient, binary, OID, PAT, PAT, undefined], 'oid and uuid keep their form; a string is no link');
    assert.equal(orgEntry.response.status, '201 Created');
    assert.equal(doc._status.extension[0].valueUri, patient);
    assert.deepEqual(doc.contained[0].policy, [patient, 'http://example.org/policy']);
    assert.equal(doc.contained[0].agent[0].who.reference, patient);
    assert.ok(doc.text.div.includes(`href="${patient}"`), doc.text.div);
    assert.ok(doc.text.div.includes(`src="${binary}"`), doc.text.div);
    assert.ok(doc.text.div.includes(` ${PAT}</div>`), 'text outside href/src stays');
  });

  it('keeps a uri that names no entry, and still refuses a Reference to an unknown urn:uuid', async () => {
    const kept = await flint.post('/fhir', transaction([
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:uuid:0d4c1b9e-53a4-4d0e-8f7e-2b2f43a0c0de', value: 'x' }] } },
    ]));
    assert.equal(kept.status, 200, kept.text);
    const created = (await flint.get(`/fhir/Patient/${kept.body.entry[0].resource.id}`)).body;
    assert.equal(created.identifier[0].system, 'urn:uuid:0d4c1b9e-53a4-4d0e-8f7e-2b2f43a0c0de');
    const refused = await flint.post('/fhir', transaction([
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', link: [{ type: 'seealso', other: { reference: 'urn:uuid:0d4c1b9e-53a4-4d0e-8f7e-2b2f43a0c0de' } }] } },
    ]));
    assert.equal(refused.status, 400);
    assert.deepEqual(issueCodes(refused.body), ['transaction.unresolved-reference']);
  });
});

describe(`one resource changed by two entries (${usingPostgresNote()})`, () => {
  const patient = (id: string, extra: object = {}) => ({ resourceType: 'Patient', id, ...extra });

  async function expectDuplicate(entries: object[]): Promise<void> {
    const answer = await flint.post('/fhir', transaction(entries));
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(issueCodes(answer.body), ['transaction.duplicate-resource']);
  }

  it('two PUTs of one id fail the transaction, and nothing is written', async () => {
    await expectDuplicate([
      { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'dup-1' } } },
      { request: { method: 'PUT', url: 'Patient/dup-1' }, resource: patient('dup-1', { active: true }) },
      { request: { method: 'PUT', url: 'Patient/dup-1' }, resource: patient('dup-1', { active: false }) },
    ]);
    assert.equal((await flint.get('/fhir/Patient/dup-1')).status, 404);
    assert.equal((await flint.get('/fhir/Observation?code:text=dup-1')).body.total, 0);
  });

  it('a DELETE and a PATCH of one resource, and a PUT and a conditional PUT resolving to it, fail', async () => {
    await flint.put('/fhir/Patient/dup-2', patient('dup-2', { identifier: [{ system: 'urn:dup', value: '2' }] }));
    const patch = { resourceType: 'Binary', contentType: 'application/json-patch+json',
      data: Buffer.from(JSON.stringify([{ op: 'add', path: '/active', value: true }])).toString('base64') };
    await expectDuplicate([
      { request: { method: 'DELETE', url: 'Patient/dup-2' } },
      { request: { method: 'PATCH', url: 'Patient/dup-2' }, resource: patch },
    ]);
    await expectDuplicate([
      { request: { method: 'PUT', url: 'Patient/dup-2' }, resource: patient('dup-2', { active: true }) },
      { request: { method: 'PUT', url: 'Patient?identifier=urn:dup|2' }, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:dup', value: '2' }] } },
    ]);
    await expectDuplicate([
      { request: { method: 'DELETE', url: 'Patient?identifier=urn:dup|2' } },
      { request: { method: 'PUT', url: 'Patient/dup-2' }, resource: patient('dup-2', { active: true }) },
    ]);
    const current = await flint.get('/fhir/Patient/dup-2');
    assert.equal(current.status, 200);
    assert.equal(current.body.active, undefined);
    assert.equal(current.body.meta.versionId, (await flint.get('/fhir/Patient/dup-2/_history')).body.entry[0].resource.meta.versionId);
    assert.equal((await flint.get('/fhir/Patient/dup-2/_history')).body.total, 1);
  });

  it('different resources, and a read of a changed one, are fine', async () => {
    await flint.put('/fhir/Patient/dup-3', patient('dup-3'));
    const answer = await flint.post('/fhir', transaction([
      { request: { method: 'PUT', url: 'Patient/dup-3' }, resource: patient('dup-3', { active: true }) },
      { request: { method: 'PUT', url: 'Patient/dup-4' }, resource: patient('dup-4') },
      { request: { method: 'GET', url: 'Patient/dup-3' } },
    ]));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.entry[2].resource.active, true);
  });
});
