/**
 * First-class fields follow the definitions the server stores: a binding written through the API
 * takes effect at once (written in Aidbox format too), changes with its definition and goes away
 * with it, for core and custom resource types; definitions that would clash are refused before
 * commit and change nothing. On the real PostgreSQL, a second server process follows within a second.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIRST_CLASS_FIELD_URL, FORMAT_CODES, toAidbox } from '../../src/format/index.js';
import type { StructureDefinition } from '../../src/model/index.js';
import { widgetDefinition } from '../support/custom-types.js';
import { fetchAsRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { extensionDefinition } from './format-fixtures.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const URL = 'http://example.org/fhir/StructureDefinition/';
const nickname = extensionDefinition({ url: `${URL}nickname`, field: 'nickname', contexts: ['Patient'], valueTypes: ['string'] });
const nicknameExtension = { url: `${URL}nickname`, valueString: 'Bee' };

describe('bindings stored through the API', () => {
  let definitionId: string;
  let patientId: string;

  it('a patient stored before any binding shows its extension as it is', async () => {
    patientId = (await flint.post('/fhir/Patient', { resourceType: 'Patient', extension: [nicknameExtension] })).body.id;
    assert.deepEqual((await flint.get(`/Patient/${patientId}`)).body.extension, [{ url: `${URL}nickname`, value: { string: 'Bee' } }]);
  });

  it('a definition written in Aidbox format at / takes effect at once, for data stored before it', async () => {
    const stored = await flint.post('/StructureDefinition', toAidbox(flint.ctx.model, nickname));
    assert.equal(stored.status, 201);
    definitionId = stored.body.id;
    const read = (await flint.get(`/Patient/${patientId}`)).body;
    assert.equal(read.nickname, 'Bee');
    assert.equal(read.extension, undefined);
    const created = await flint.post('/Patient', { resourceType: 'Patient', nickname: 'Cee' });
    assert.deepEqual((await flint.get(`/fhir/Patient/${created.body.id}`)).body.extension, [{ url: `${URL}nickname`, valueString: 'Cee' }]);
  });

  it('renaming the field in the definition renames it at once', async () => {
    const renamed = { ...nickname, id: definitionId, extension: [{ url: FIRST_CLASS_FIELD_URL, valueCode: 'alias' }] };
    assert.equal((await flint.put(`/fhir/StructureDefinition/${definitionId}`, renamed)).status, 200);
    const read = (await flint.get(`/Patient/${patientId}`)).body;
    assert.equal(read.alias, 'Bee');
    assert.equal(read.nickname, undefined);
  });

  it('deleting the definition brings the extension back; the stored data never changed', async () => {
    assert.equal((await flint.delete(`/fhir/StructureDefinition/${definitionId}`)).status, 204);
    assert.deepEqual((await flint.get(`/Patient/${patientId}`)).body.extension, [{ url: `${URL}nickname`, value: { string: 'Bee' } }]);
    assert.deepEqual((await flint.get(`/fhir/Patient/${patientId}`)).body.extension, [nicknameExtension]);
  });
});

describe('a core extension made first-class', () => {
  it('by posting its definition with the annotation (the core version stays the newest)', async () => {
    const core = flint.ctx.model.canonical.resolve<StructureDefinition>('StructureDefinition', 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace');
    assert.ok(core);
    const { version: _version, ...copy } = core;
    const posted = await flint.post('/fhir/StructureDefinition', { ...copy, extension: [{ url: FIRST_CLASS_FIELD_URL, valueCode: 'birthPlace' }] });
    assert.equal(posted.status, 201);
    const created = await flint.post('/Patient', { resourceType: 'Patient', birthPlace: { city: 'Bergen' } });
    assert.deepEqual(created.body.birthPlace, { city: 'Bergen' });
    assert.deepEqual((await flint.get(`/fhir/Patient/${created.body.id}`)).body.extension, [{ url: core.url, valueAddress: { city: 'Bergen' } }]);
  });
});

describe('bindings on a custom resource type', () => {
  const colour = extensionDefinition({ url: `${URL}colour`, field: 'colour', contexts: ['Gizmo'], valueTypes: ['code'] });

  let gizmo: { id: string; meta: { versionId: string } };

  before(async () => {
    const stored = await flint.post('/fhir/StructureDefinition', widgetDefinition('Gizmo'));
    assert.equal(stored.status, 201);
    gizmo = stored.body;
    assert.equal((await flint.post('/fhir/StructureDefinition', colour)).status, 201);
  });

  it('the custom type takes its first-class field in the native API', async () => {
    const created = await flint.post('/Gizmo', { resourceType: 'Gizmo', name: 'g', colour: 'red' });
    assert.equal(created.status, 201);
    assert.equal(created.body.colour, 'red');
    assert.deepEqual((await flint.get(`/fhir/Gizmo/${created.body.id}`)).body.extension, [{ url: `${URL}colour`, valueCode: 'red' }]);
  });

  it('an update of the type that adds an element named like the field is refused, and the type stays as it was', async () => {
    const element = { id: 'Gizmo.colour', path: 'Gizmo.colour', definition: 'Its colour', min: 0, max: '1', base: { path: 'Gizmo.colour', min: 0, max: '1' }, type: [{ code: 'string' }] };
    const changed = { ...widgetDefinition('Gizmo', [element]), id: gizmo.id };
    const answer = await flint.put(`/fhir/StructureDefinition/${gizmo.id}`, changed);
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), [FORMAT_CODES.fieldClash]);
    assert.deepEqual(answer.body.issue[0].expression, ['Gizmo.colour']);
    assert.equal((await flint.get(`/fhir/StructureDefinition/${gizmo.id}`)).body.meta.versionId, gizmo.meta.versionId);
    assert.equal((await flint.post('/Gizmo', { resourceType: 'Gizmo', colour: 'blue' })).body.colour, 'blue');
  });

  it('a second definition for the same field on the same type is refused', async () => {
    const rival = extensionDefinition({ url: `${URL}hue`, field: 'colour', contexts: ['DomainResource'], valueTypes: ['string'] });
    const answer = await flint.post('/fhir/StructureDefinition', rival);
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), [FORMAT_CODES.fieldClash]);
    assert.deepEqual(answer.body.issue[0].expression, ['Gizmo.colour']);
    const history = (await flint.get('/fhir/StructureDefinition/_history?_count=1000')).body;
    assert.equal(history.entry.some((entry: any) => entry.resource?.url === `${URL}hue`), false);
  });
});

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('a second server process', { skip: onPostgres ? false : 'needs the real PostgreSQL (DATABASE_URL)' }, () => {
  let other: ServerProcess;
  before(async () => { other = await startServerProcess({ DATABASE_URL: flint.testDb.url as string }); });
  after(async () => { await other.stop(); });

  it('follows a binding written through the first within a second', async () => {
    const mood = extensionDefinition({ url: `${URL}mood`, field: 'mood', contexts: ['Patient'], valueTypes: ['string'] });
    const id = (await flint.post('/fhir/Patient', { resourceType: 'Patient', extension: [{ url: `${URL}mood`, valueString: 'calm' }] })).body.id;
    assert.equal((await flint.post('/fhir/StructureDefinition', mood)).status, 201);
    const started = Date.now();
    let seen: unknown;
    while (Date.now() - started < 1000 && seen !== 'calm') {
      seen = ((await (await fetchAsRoot(`${other.baseUrl}/Patient/${id}`)).json()) as { mood?: string }).mood;
      if (seen !== 'calm') await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(seen, 'calm');
  });
});
