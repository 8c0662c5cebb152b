/**
 * The native API at / in Aidbox format over HTTP, on the test database: every interaction of /fhir
 * with Aidbox bodies and answers (what is stored is FHIR, as /fhir shows), JSON Patch on the Aidbox
 * form, batch and transaction at POST /, first-class fields and meta.createdAt, and definitions
 * that would make a field clash. The edges (malformed input, debug operations, other routes) are in
 * native-api-edges.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CREATED_AT_URL, FORMAT_CODES } from '../../src/format/index.js';
import { sql } from '../../src/sql/index.js';
import { issueCodes, startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { race, RACE_URL } from './format-fixtures.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const quantity = { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' };
const aidboxObservation = (patientId: string) => ({
  resourceType: 'Observation', status: 'final', code: { text: 'weight' },
  subject: { resourceType: 'Patient', id: patientId }, value: { Quantity: quantity }, effective: { dateTime: '2024-05-01' },
});

async function newPatient(): Promise<string> {
  return (await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'Native' }] })).body.id;
}

describe(`native API interactions (${usingPostgresNote()})`, () => {
  it('create takes and answers Aidbox format; the server stores FHIR', async () => {
    const patientId = await newPatient();
    const created = await flint.post('/Observation', aidboxObservation(patientId), { contentType: 'application/json' });
    assert.equal(created.status, 201);
    assert.match(created.headers['content-type'] ?? '', /^application\/json/);
    const { id, meta } = created.body;
    assert.equal(created.headers.location, `http://flint.test/Observation/${id}/_history/${meta.versionId}`);
    assert.deepEqual(created.body, { ...aidboxObservation(patientId), id, meta });
    const fhir = (await flint.get(`/fhir/Observation/${id}`)).body;
    assert.deepEqual(fhir, {
      resourceType: 'Observation', id, meta, status: 'final', code: { text: 'weight' },
      subject: { reference: `Patient/${patientId}` }, valueQuantity: quantity, effectiveDateTime: '2024-05-01',
    });
  });

  it('read and vread answer in Aidbox format what was written through /fhir', async () => {
    const patientId = await newPatient();
    const written = (await flint.post('/fhir/Observation', {
      resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patientId}` }, valueString: 'v',
    })).body;
    const read = await flint.get(`/Observation/${written.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.etag, `W/"${written.meta.versionId}"`);
    assert.deepEqual(read.body.subject, { resourceType: 'Patient', id: patientId });
    assert.deepEqual(read.body.value, { string: 'v' });
    const vread = await flint.get(`/Observation/${written.id}/_history/${written.meta.versionId}`);
    assert.deepEqual(vread.body, read.body);
  });

  it('update takes Aidbox format', async () => {
    const patientId = await newPatient();
    const id = (await flint.post('/Observation', aidboxObservation(patientId))).body.id;
    const updated = await flint.put(`/Observation/${id}`, { ...aidboxObservation(patientId), id, value: { string: 'changed' } });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.value, { string: 'changed' });
    assert.equal((await flint.get(`/fhir/Observation/${id}`)).body.valueString, 'changed');
  });

  it('JSON Patch paths address the Aidbox form', async () => {
    const patientId = await newPatient();
    const otherId = await newPatient();
    const id = (await flint.post('/Observation', aidboxObservation(patientId))).body.id;
    const patched = await flint.patch(`/Observation/${id}`, [
      { op: 'test', path: '/value/Quantity/value', value: 72.5 },
      { op: 'replace', path: '/value/Quantity/value', value: 70 },
      { op: 'replace', path: '/subject/id', value: otherId },
    ], { contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.value.Quantity.value, 70);
    const fhir = (await flint.get(`/fhir/Observation/${id}`)).body;
    assert.equal(fhir.valueQuantity.value, 70);
    assert.equal(fhir.subject.reference, `Patient/${otherId}`);
  });

  it('a JSON Patch that makes malformed Aidbox format is refused and changes nothing', async () => {
    const id = (await flint.post('/Observation', aidboxObservation(await newPatient()))).body.id;
    const answer = await flint.patch(`/Observation/${id}`, [{ op: 'add', path: '/value/string', value: 'x' }], { contentType: 'application/json-patch+json' });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), [FORMAT_CODES.choiceMultipleTypes]);
    assert.equal((await flint.get(`/fhir/Observation/${id}`)).body.meta.versionId, (await flint.get(`/Observation/${id}`)).body.meta.versionId);
    assert.equal((await flint.get(`/fhir/Observation/${id}/_history`)).body.total, 1);
  });

  it('FHIRPath Patch takes its Parameters in Aidbox format and FHIR paths', async () => {
    const id = (await flint.post('/Observation', aidboxObservation(await newPatient()))).body.id;
    const patched = await flint.patch(`/Observation/${id}`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'operation', part: [
        { name: 'type', value: { code: 'replace' } }, { name: 'path', value: { string: 'Observation.value' } },
        { name: 'value', value: { string: 'text now' } },
      ] }],
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.value, { string: 'text now' });
  });

  it('delete, then history of the instance and the type, entries in Aidbox format', async () => {
    const id = (await flint.post('/Observation', aidboxObservation(await newPatient()))).body.id;
    await flint.put(`/Observation/${id}`, { ...aidboxObservation(await newPatient()), id, value: { boolean: true } });
    assert.equal((await flint.delete(`/Observation/${id}`)).status, 204);
    assert.equal((await flint.get(`/Observation/${id}`)).status, 410);
    const history = (await flint.get(`/Observation/${id}/_history`)).body;
    assert.equal(history.type, 'history');
    assert.deepEqual(history.entry.map((entry: any) => entry.request.method), ['DELETE', 'PUT', 'POST']);
    assert.deepEqual(history.entry[1].resource.value, { boolean: true });
    assert.equal(history.entry[1].fullUrl, `http://flint.test/Observation/${id}`);
    const typeHistory = (await flint.get('/Observation/_history?_count=1000')).body;
    assert.ok(typeHistory.entry.every((entry: any) => !entry.resource || entry.resource.valueQuantity === undefined));
    assert.ok(typeHistory.entry.some((entry: any) => entry.resource?.value?.Quantity));
  });

  it('search answers a searchset of Aidbox resources with native links', async () => {
    const id = (await flint.post('/Observation', aidboxObservation(await newPatient()))).body.id;
    const found = await flint.get(`/Observation?_id=${id}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.total, 1);
    assert.equal(found.body.link[0].url, `http://flint.test/Observation?_id=${id}`);
    assert.equal(found.body.entry[0].fullUrl, `http://flint.test/Observation/${id}`);
    assert.deepEqual(found.body.entry[0].resource.value, { Quantity: quantity });
    const posted = await flint.post('/Observation/_search', undefined, { raw: `_id=${id}`, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(posted.body.total, 1);
  });

  it('operations take and answer Parameters in Aidbox format ($create-storage, $list-storage)', async () => {
    const created = await flint.post('/$create-storage', { resourceType: 'Parameters', parameter: [
      { name: 'structureDefinition', value: { canonical: 'http://hl7.org/fhir/StructureDefinition/Basic' } },
      { name: 'storageType', value: { string: 'default' } }, { name: 'tableName', value: { string: 'basic_native' } }] });
    assert.equal(created.status, 201);
    const storageId = created.body.parameter.find((parameter: any) => parameter.name === 'storageId').value.string;
    assert.equal(typeof storageId, 'string');
    const listed = await flint.get('/$list-storage');
    assert.equal(listed.status, 200);
    const names = listed.body.entry.map((entry: any) => entry.resource.parameter.find((parameter: any) => parameter.name === 'tableName')?.value?.string);
    assert.ok(names.includes('basic_native'));
  });

  it('the capability statement at /metadata', async () => {
    const answer = await flint.get('/metadata');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.resourceType, 'CapabilityStatement');
  });
});

describe('batch and transaction at POST /', () => {
  it('a transaction in Aidbox format resolves urn:uuid references given as uri', async () => {
    const answer = await flint.post('/', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0c6f1c1e-0000-4000-8000-000000000001', request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', active: true } },
        {
          request: { method: 'POST', url: '/Observation' },
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { uri: 'urn:uuid:0c6f1c1e-0000-4000-8000-000000000001' }, value: { integer: 4 } },
        },
      ],
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'transaction-response');
    const [patientEntry, observationEntry] = answer.body.entry;
    assert.equal(observationEntry.response.status, '201 Created');
    assert.match(observationEntry.response.location, /^http:\/\/flint\.test\/Observation\//);
    assert.deepEqual(observationEntry.resource.subject, { resourceType: 'Patient', id: patientEntry.resource.id });
    assert.deepEqual(observationEntry.resource.value, { integer: 4 });
    const fhir = (await flint.get(`/fhir/Observation/${observationEntry.resource.id}`)).body;
    assert.equal(fhir.subject.reference, `Patient/${patientEntry.resource.id}`);
  });

  it('a JSON Patch entry of a transaction addresses the Aidbox form too', async () => {
    const id = (await flint.post('/Observation', aidboxObservation(await newPatient()))).body.id;
    const patch = [{ op: 'replace', path: '/value/Quantity/value', value: 1 }];
    const answer = await flint.post('/', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ request: { method: 'PATCH', url: `Observation/${id}` }, resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from(JSON.stringify(patch)).toString('base64') } }],
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.entry[0].resource.value.Quantity.value, 1);
    assert.equal((await flint.get(`/fhir/Observation/${id}`)).body.valueQuantity.value, 1);
  });

  it('a batch answers each entry in Aidbox format, errors as outcomes', async () => {
    const id = (await flint.post('/Observation', aidboxObservation(await newPatient()))).body.id;
    const answer = await flint.post('/', {
      resourceType: 'Bundle', type: 'batch',
      entry: [{ request: { method: 'GET', url: `Observation/${id}` } }, { request: { method: 'GET', url: 'Observation/no-such-id' } }],
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.entry[0].resource.value, { Quantity: quantity });
    assert.equal(answer.body.entry[1].response.status, '404 Not Found');
    assert.equal(answer.body.entry[1].response.outcome.resourceType, 'OperationOutcome');
  });

  it('a malformed entry stops the transaction before anything is written', async () => {
    const before = Number((await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM observation`)).rows[0].n);
    const answer = await flint.post('/', {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'Observation' }, resource: aidboxObservation('x') },
        { request: { method: 'POST', url: 'Observation' }, resource: { ...aidboxObservation('x'), value: { string: 'a', boolean: true } } },
      ],
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), [FORMAT_CODES.choiceMultipleTypes]);
    assert.deepEqual(answer.body.issue[0].expression, ['Bundle.entry[1].resource.value']);
    assert.equal(Number((await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM observation`)).rows[0].n), before);
  });
});

describe('first-class fields and meta.createdAt over HTTP', () => {
  before(async () => {
    const stored = await flint.post('/fhir/StructureDefinition', race);
    assert.equal(stored.status, 201);
  });

  it('a first-class field is stored as its extension and read back as the field', async () => {
    const created = await flint.post('/Patient', {
      resourceType: 'Patient', race: { text: 'Asian Indian', ombCategory: [{ system: 'urn:oid:2.16.840.1.113883.6.238', code: '2028-9' }] },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.race, { text: 'Asian Indian', ombCategory: [{ system: 'urn:oid:2.16.840.1.113883.6.238', code: '2028-9' }] });
    const fhir = (await flint.get(`/fhir/Patient/${created.body.id}`)).body;
    assert.deepEqual(fhir.extension, [{ url: RACE_URL, extension: [
      { url: 'text', valueString: 'Asian Indian' }, { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2028-9' } },
    ] }]);
    assert.equal(fhir.race, undefined);
  });

  it('a malformed first-class field is 400 and names the path', async () => {
    const answer = await flint.post('/Patient', { resourceType: 'Patient', race: { text: 'x', colour: 'y' } });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), [FORMAT_CODES.extensionUnknownPart]);
    assert.deepEqual(answer.body.issue[0].expression, ['Patient.race.colour']);
  });

  it('meta.createdAt is the ex:createdAt extension of meta in FHIR', async () => {
    const created = await flint.post('/Patient', { resourceType: 'Patient', meta: { createdAt: '2024-01-02T03:04:05.678Z' } });
    assert.equal(created.body.meta.createdAt, '2024-01-02T03:04:05.678Z');
    const fhir = (await flint.get(`/fhir/Patient/${created.body.id}`)).body;
    assert.deepEqual(fhir.meta.extension, [{ url: CREATED_AT_URL, valueInstant: '2024-01-02T03:04:05.678Z' }]);
  });
});

describe('definitions that would make a field clash are refused', () => {
  async function definitionRows(): Promise<number> {
    return Number((await flint.db.query<{ n: string }>(sql`SELECT count(*) AS n FROM structuredefinition`)).rows[0].n);
  }

  it('422 naming the path, and nothing is stored', async () => {
    const before = await definitionRows();
    const clash = { ...race, url: 'http://example.org/fhir/StructureDefinition/gender-ext', extension: [{ url: 'urn:flint:first-class-field', valueCode: 'gender' }] };
    const answer = await flint.post('/fhir/StructureDefinition', clash);
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), [FORMAT_CODES.fieldClash]);
    assert.deepEqual(answer.body.issue[0].expression, ['Patient.gender']);
    assert.equal(await definitionRows(), before);
  });

  it('an acceptable definition is stored', async () => {
    const fine = { ...race, id: 'nickname', url: 'http://example.org/fhir/StructureDefinition/nickname', extension: [{ url: 'urn:flint:first-class-field', valueCode: 'nickname' }] };
    assert.equal((await flint.post('/fhir/StructureDefinition', fine)).status, 201);
  });
});
