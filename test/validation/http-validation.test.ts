/**
 * Validation through the server (both databases): writes answer 422 (400 for structural errors)
 * with every issue, $validate at system, type and instance level always answers 200, the
 * x-validate-references header checks that referenced resources exist (transaction entries
 * included), StructureDefinitions that do not compile are rejected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const observation = { resourceType: 'Observation', status: 'final', code: { text: 'pulse' } };
const errorCodes = (body: any): string[] => (body?.issue ?? []).filter((issue: any) => issue.severity === 'error').map((issue: any) => issue.details?.coding?.[0]?.code);

describe('validation of writes', () => {
  it('rejects a create that breaks a rule with 422 and every issue', async () => {
    const answer = await flint.post('/fhir/Observation', { resourceType: 'Observation', status: 'bogus', subject: { reference: 'Medication/1' } });
    assert.equal(answer.status, 422);
    assert.deepEqual(errorCodes(answer.body).sort(), ['validation.binding-required', 'validation.cardinality-min', 'validation.reference-target-type']);
    for (const issue of answer.body.issue) assert.ok(issue.expression?.[0] && issue.diagnostics && issue.code, JSON.stringify(issue));
  });

  it('answers 400 for a structural error', async () => {
    const answer = await flint.post('/fhir/Patient', { resourceType: 'Patient', colour: 'blue' });
    assert.equal(answer.status, 400);
    assert.deepEqual(errorCodes(answer.body), ['structure.unknown-element']);
  });

  it('validates updates and patches', async () => {
    const created = (await flint.post('/fhir/Observation', observation)).body;
    assert.equal((await flint.put(`/fhir/Observation/${created.id}`, { ...created, status: 'bogus' })).status, 422);
    const patched = await flint.patch(`/fhir/Observation/${created.id}`, [{ op: 'remove', path: '/code' }], { contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 422);
    assert.deepEqual(errorCodes(patched.body), ['validation.cardinality-min']);
  });

  it('validates every entry of a transaction and names the entry', async () => {
    const answer = await flint.post('/fhir', {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { request: { method: 'POST', url: 'Observation' }, resource: observation },
        { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', gender: 'bogus' } },
      ],
    });
    assert.equal(answer.status, 422);
    assert.ok(errorCodes(answer.body).includes('validation.binding-required'));
    assert.match(answer.body.issue[0].diagnostics, /entry\[1\]/);
  });

  it('accepts warnings (an unknown extension) and keeps the resource', async () => {
    const answer = await flint.post('/fhir/Patient', { resourceType: 'Patient', extension: [{ url: 'http://example.org/unknown', valueString: 'x' }] });
    assert.equal(answer.status, 201);
  });

  it('rejects a StructureDefinition that does not compile, and one that derives from itself', async () => {
    const profile = {
      resourceType: 'StructureDefinition', url: 'http://example.org/fhir/StructureDefinition/loop', name: 'Loop', status: 'draft', kind: 'resource',
      abstract: false, type: 'Patient', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
      differential: { element: [{ id: 'Patient.colour', path: 'Patient.colour', min: 1 }] },
    };
    const broken = await flint.post('/fhir/StructureDefinition', profile);
    assert.equal(broken.status, 422);
    assert.deepEqual(errorCodes(broken.body), ['validation.definition']);
    const cycle = await flint.post('/fhir/StructureDefinition', { ...profile, baseDefinition: profile.url, differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1 }] } });
    assert.equal(cycle.status, 422);
    assert.deepEqual(errorCodes(cycle.body), ['validation.definition']);
    assert.equal(flint.ctx.model.canonical.resolve('StructureDefinition', profile.url), undefined);
  });

  it('validates against a profile written to the server as soon as it is stored', async () => {
    const url = 'http://example.org/fhir/StructureDefinition/named-patient';
    const stored = await flint.post('/fhir/StructureDefinition', {
      resourceType: 'StructureDefinition', url, name: 'NamedPatient', status: 'active', kind: 'resource', abstract: false, type: 'Patient',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
      differential: { element: [{ id: 'Patient.name', path: 'Patient.name', min: 1 }] },
    });
    assert.equal(stored.status, 201);
    const answer = await flint.post('/fhir/Patient', { resourceType: 'Patient', meta: { profile: [url] } });
    assert.equal(answer.status, 422);
    assert.deepEqual(errorCodes(answer.body), ['validation.cardinality-min']);
    assert.equal((await flint.post('/fhir/Patient', { resourceType: 'Patient', meta: { profile: [url] }, name: [{ family: 'x' }] })).status, 201);
  });
});

describe('x-validate-references', () => {
  it('checks referenced resources exist only when asked', async () => {
    const dangling = { ...observation, subject: { reference: 'Patient/does-not-exist' } };
    assert.equal((await flint.post('/fhir/Observation', dangling)).status, 201);
    const checked = await flint.post('/fhir/Observation', dangling, { headers: { 'x-validate-references': 'true' } });
    assert.equal(checked.status, 422);
    assert.deepEqual(errorCodes(checked.body), ['validation.reference-not-found']);
    const patient = (await flint.post('/fhir/Patient', { resourceType: 'Patient' })).body;
    const found = await flint.post('/fhir/Observation', { ...observation, subject: { reference: `Patient/${patient.id}` } }, { headers: { 'x-validate-references': 'true' } });
    assert.equal(found.status, 201);
  });

  it('resolves references to resources the same transaction creates', async () => {
    const answer = await flint.post('/fhir', {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { fullUrl: 'urn:uuid:0e9bf7bd-0f49-4a8b-9d4e-2a5f4a1f6f01', request: { method: 'POST', url: 'Observation' }, resource: { ...observation, subject: { reference: 'urn:uuid:0e9bf7bd-0f49-4a8b-9d4e-2a5f4a1f6f02' } } },
        { fullUrl: 'urn:uuid:0e9bf7bd-0f49-4a8b-9d4e-2a5f4a1f6f02', request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient' } },
      ],
    }, { headers: { 'x-validate-references': 'true' } });
    assert.equal(answer.status, 200);
  });

  it('rejects a value other than true or false', async () => {
    const answer = await flint.post('/fhir/Observation', observation, { headers: { 'x-validate-references': 'maybe' } });
    assert.equal(answer.status, 400);
    assert.deepEqual(issueCodes(answer.body), ['validation.bad-header']);
  });
});

describe('$validate', () => {
  it('answers 200 with the errors at type level', async () => {
    const answer = await flint.post('/fhir/Observation/$validate', { resourceType: 'Observation', status: 'bogus' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.resourceType, 'OperationOutcome');
    assert.deepEqual(errorCodes(answer.body).sort(), ['validation.binding-required', 'validation.cardinality-min']);
  });

  it('answers 200 with an information issue for a valid resource, at system level', async () => {
    const answer = await flint.post('/fhir/$validate', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: observation }] });
    assert.equal(answer.status, 200);
    assert.ok(answer.body.issue.every((issue: any) => issue.severity !== 'error'));
  });

  it('validates the stored resource at instance level, and checks mode update and delete', async () => {
    const created = (await flint.post('/fhir/Observation', observation)).body;
    const stored = await flint.get(`/fhir/Observation/${created.id}/$validate`);
    assert.equal(stored.status, 200);
    assert.deepEqual(errorCodes(stored.body), []);
    const wrongId = await flint.post(`/fhir/Observation/${created.id}/$validate`, {
      resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { ...observation, id: 'other' } }, { name: 'mode', valueCode: 'update' }],
    });
    assert.equal(wrongId.status, 200);
    assert.deepEqual(errorCodes(wrongId.body), ['validation.update-id']);
    const remove = await flint.get(`/fhir/Observation/${created.id}/$validate?mode=delete`);
    assert.deepEqual(errorCodes(remove.body), []);
    assert.deepEqual(errorCodes((await flint.get('/fhir/Observation/nothing-here/$validate')).body), ['validation.not-found']);
  });

  it('validates against the profile parameter, and reports an unknown one', async () => {
    const url = 'http://example.org/fhir/StructureDefinition/coded-observation';
    await flint.post('/fhir/StructureDefinition', {
      resourceType: 'StructureDefinition', url, name: 'CodedObservation', status: 'active', kind: 'resource', abstract: false, type: 'Observation',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation', derivation: 'constraint',
      differential: { element: [{ id: 'Observation.code.coding', path: 'Observation.code.coding', min: 1 }] },
    });
    const answer = await flint.post(`/fhir/Observation/$validate?profile=${encodeURIComponent(url)}`, observation);
    assert.deepEqual(errorCodes(answer.body), ['validation.cardinality-min']);
    const unknown = await flint.post('/fhir/Observation/$validate?profile=http://example.org/none', observation);
    assert.equal(unknown.status, 200);
    assert.deepEqual(errorCodes(unknown.body), ['validation.profile-unknown']);
  });

  it('reports a resource of another type than the URL names, and a bad mode', async () => {
    assert.deepEqual(errorCodes((await flint.post('/fhir/Patient/$validate', observation)).body), ['validation.type-mismatch']);
    assert.deepEqual(errorCodes((await flint.post('/fhir/Observation/$validate?mode=merge', observation)).body), ['validation.bad-mode']);
  });
});

describe('switchable checks set in the configuration', () => {
  let strict: TestFlint;
  before(async () => {
    strict = await startTestFlint({ exampleUrls: 'error', markdownHtml: 'error', unknownExtensions: 'error', extensionDomains: ['https://fhir.own.test/'] });
  });
  after(async () => { await strict.stop(); });

  it('reject example URLs and HTML in markdown, and accept extensions of the own domain', async () => {
    const example = await strict.post('/fhir/DocumentReference', { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { url: 'http://example.org/doc' } }] });
    assert.equal(example.status, 422);
    assert.deepEqual(errorCodes(example.body), ['validation.example-url']);
    const markdown = await strict.post('/fhir/Communication', { resourceType: 'Communication', status: 'completed', note: [{ text: 'a <b>bold</b> note' }] });
    assert.equal(markdown.status, 422);
    assert.deepEqual(errorCodes(markdown.body), ['validation.markdown-html']);
    const own = await strict.post('/fhir/Patient', { resourceType: 'Patient', extension: [{ url: 'https://fhir.own.test/StructureDefinition/x', valueString: 'a' }] });
    assert.equal(own.status, 201);
    const foreign = await strict.post('/fhir/Patient', { resourceType: 'Patient', extension: [{ url: 'https://fhir.other.test/StructureDefinition/x', valueString: 'a' }] });
    assert.equal(foreign.status, 422);
    assert.deepEqual(errorCodes(foreign.body), ['validation.extension-unknown']);
  });

  it('are off by default', async () => {
    const example = await flint.post('/fhir/DocumentReference', { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { url: 'http://example.org/doc' } }] });
    assert.equal(example.status, 201);
  });
});
