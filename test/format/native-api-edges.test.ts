/**
 * The edges of the native API over HTTP: malformed Aidbox input (400 with format codes), content
 * negotiation, the debug operations $to-format/aidbox and $to-format/fhir, and the routes the
 * native API must leave alone (/health, /fhir, static root routes of other modules).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FORMAT_CODES } from '../../src/format/index.js';
import { buildHttpApp, registerNativeRoutes } from '../../src/http/index.js';
import { issueCodes, ROOT_BASIC, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const aidboxObservation = (patientId: string) => ({
  resourceType: 'Observation', status: 'final', code: { text: 'weight' },
  subject: { resourceType: 'Patient', id: patientId }, value: { Quantity: { value: 72.5, unit: 'kg' } },
});

async function newPatient(): Promise<string> {
  return (await flint.post('/fhir/Patient', { resourceType: 'Patient', name: [{ family: 'Native' }] })).body.id;
}

describe('malformed input and content negotiation', () => {
  const rows: [string, unknown, number, string][] = [
    ['a choice object with two types', { ...aidboxObservation('p'), value: { string: 'a', integer: 1 } }, 400, FORMAT_CODES.choiceMultipleTypes],
    ['a FHIR-style choice key', { ...aidboxObservation('p'), value: undefined, valueString: 'a' }, 400, FORMAT_CODES.fhirChoiceKey],
    ['a reference in two forms', { ...aidboxObservation('p'), subject: { resourceType: 'Patient', id: 'p', uri: 'http://x/Patient/p' } }, 400, FORMAT_CODES.referenceAmbiguous],
    ['a body of another type than the URL', { resourceType: 'Patient' }, 400, 'rest.type-mismatch'],
  ];
  for (const [name, body, status, code] of rows) {
    it(`${name}: ${status} ${code}`, async () => {
      const answer = await flint.post('/Observation', body);
      assert.equal(answer.status, status);
      assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
      assert.deepEqual(issueCodes(answer.body), [code]);
    });
  }

  it('unknown paths and types are 404 OperationOutcomes', async () => {
    for (const path of ['/Unicorn/1', '/no-such-thing', '/fhirish']) {
      const answer = await flint.get(path);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.resourceType, 'OperationOutcome');
    }
  });

  it('_pretty indents; an Accept without JSON is 406', async () => {
    const id = await newPatient();
    assert.match((await flint.get(`/Patient/${id}?_pretty=true`)).text, /\n {2}"resourceType"/);
    assert.equal((await flint.get(`/Patient/${id}`, { headers: { accept: 'text/html' } })).status, 406);
  });
});

describe('the debug operations', () => {
  it('POST /$to-format/aidbox converts a FHIR resource', async () => {
    const answer = await flint.post('/$to-format/aidbox', { resourceType: 'Observation', valueString: 'x', subject: { reference: 'Patient/1' } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { resourceType: 'Observation', value: { string: 'x' }, subject: { resourceType: 'Patient', id: '1' } });
  });

  it('POST /$to-format/fhir converts an Aidbox resource', async () => {
    const answer = await flint.post('/$to-format/fhir', { resourceType: 'Observation', value: { string: 'x' }, subject: { localRef: 'p' } });
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] ?? '', /^application\/fhir\+json/);
    assert.deepEqual(answer.body, { resourceType: 'Observation', valueString: 'x', subject: { reference: '#p' } });
  });

  it('refuses what is not a resource, an unknown type and malformed input', async () => {
    assert.deepEqual(issueCodes((await flint.post('/$to-format/aidbox', [1, 2])).body), [FORMAT_CODES.notAResource]);
    const unknown = await flint.post('/$to-format/fhir', { resourceType: 'Unicorn' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(issueCodes(unknown.body), [FORMAT_CODES.unknownType]);
    const malformed = await flint.post('/$to-format/fhir', { resourceType: 'Observation', value: {} });
    assert.equal(malformed.status, 400);
    assert.deepEqual(issueCodes(malformed.body), [FORMAT_CODES.choiceEmpty]);
  });
});

describe('routes the native API leaves alone', () => {
  it('/health and /fhir answer as before', async () => {
    assert.equal((await flint.get('/health')).status, 200);
    const fhir = await flint.get('/fhir/metadata');
    assert.equal(fhir.status, 200);
    assert.match(fhir.headers['content-type'] ?? '', /^application\/fhir\+json/);
    const id = await newPatient();
    const read = await flint.get(`/fhir/Patient/${id}`);
    assert.equal(read.body.name[0].family, 'Native');
  });

  it('a static /$operation route of another module wins over the native API, whatever the order', async () => {
    const app = buildHttpApp({
      ctx: flint.ctx, db: flint.db, logLevel: 'silent', bodyLimit: 1_000_000, baseUrl: 'http://flint.test/fhir', authentication: flint.authentication,
      routes: [(routes) => registerNativeRoutes(routes, { ctx: flint.ctx, fhirBaseUrl: 'http://flint.test/fhir' }),
        (routes) => { routes.post('/$echo', async () => ({ echoed: true })); }],
    });
    try {
      const headers = { authorization: ROOT_BASIC };
      const echo = await app.inject({ method: 'POST', url: '/$echo', payload: {}, headers });
      assert.deepEqual(JSON.parse(echo.body), { echoed: true });
      const native = await app.inject({ method: 'POST', url: '/$unknown-operation', payload: { resourceType: 'Parameters' }, headers });
      assert.equal(native.statusCode, 404);
      assert.deepEqual(issueCodes(JSON.parse(native.body)), ['rest.unknown-operation']);
    } finally {
      await app.close();
    }
  });
});
