/**
 * Metadata resources drive the model live: a SearchParameter or a StructureDefinition written
 * through the API takes effect at commit, a bad one is rejected and changes nothing, and removing
 * a replacement of a core definition brings the core one back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { widgetDefinition } from '../support/custom-types.js';
import { raw } from '../../src/sql/index.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const searchParameter = (code: string, expression: string, url = `http://example.org/fhir/SearchParameter/${code}`) => ({
  resourceType: 'SearchParameter', url, name: code, status: 'active', description: code, code, base: ['Patient'], type: 'string', expression,
});

describe('SearchParameter resources', () => {
  it('take effect at commit, follow updates and go away on delete', async () => {
    const created = (await flint.post('/fhir/SearchParameter', searchParameter('nickname', 'Patient.name.given'))).body;
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'nickname')?.expression, 'Patient.name.given');
    await flint.put(`/fhir/SearchParameter/${created.id}`, { ...searchParameter('alias', 'Patient.name.family'), id: created.id });
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'nickname'), undefined);
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'alias')?.expression, 'Patient.name.family');
    await flint.delete(`/fhir/SearchParameter/${created.id}`);
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'alias'), undefined);
  });

  it('are rejected when the expression does not parse, leaving the model unchanged', async () => {
    const answer = await flint.post('/fhir/SearchParameter', searchParameter('broken', 'Patient.name.where('));
    assert.equal(answer.status, 422);
    assert.deepEqual(issueCodes(answer.body), ['metadata.invalid-expression']);
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'broken'), undefined);
    assert.equal((await flint.get('/fhir/SearchParameter?_count=100')).body.entry.filter((e: any) => e.resource.code === 'broken').length, 0);
  });

  it('refused for a type that does not exist yet, are accepted once the type is defined (no failed check is remembered)', async () => {
    const forSprocket = { ...searchParameter('teeth', 'Sprocket.size'), base: ['Sprocket'], type: 'number' };
    const refused = await flint.post('/fhir/SearchParameter', forSprocket);
    assert.equal(refused.status, 422);
    assert.deepEqual(issueCodes(refused.body), ['validation.binding-required']);
    assert.equal((await flint.post('/fhir/StructureDefinition', widgetDefinition('Sprocket'))).status, 201);
    const accepted = await flint.post('/fhir/SearchParameter', forSprocket);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    assert.equal(flint.ctx.model.searchParameters.get('Sprocket', 'teeth')?.expression, 'Sprocket.size');
  });

  it('bring the core definition back when a replacement is deleted', async () => {
    const coreUrl = 'http://hl7.org/fhir/SearchParameter/individual-family';
    const replacement = (await flint.post('/fhir/SearchParameter', searchParameter('family', 'Patient.name.text', coreUrl))).body;
    assert.equal(flint.ctx.model.searchParameters.get('Patient', 'family')?.expression, 'Patient.name.text');
    await flint.delete(`/fhir/SearchParameter/${replacement.id}`);
    assert.match(flint.ctx.model.searchParameters.get('Patient', 'family')?.expression ?? '', /Patient\.name\.family/);
  });
});

describe('StructureDefinition resources that define a type', () => {
  it('serve the new type at once, with storage and history', async () => {
    assert.equal((await flint.post('/fhir/StructureDefinition', widgetDefinition())).status, 201);
    const widget = await flint.post('/fhir/Widget', { resourceType: 'Widget', name: 'sprocket', size: 3 });
    assert.equal(widget.status, 201);
    await flint.put(`/fhir/Widget/${widget.body.id}`, { resourceType: 'Widget', id: widget.body.id, name: 'sprocket', size: 4 });
    assert.equal((await flint.get(`/fhir/Widget/${widget.body.id}/_history`)).body.total, 2);
    const unknown = await flint.post('/fhir/Widget', { resourceType: 'Widget', colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(issueCodes(unknown.body), ['structure.unknown-element']);
  });

  it('are rejected when they would redefine a core type or have no snapshot', async () => {
    const redefine = await flint.post('/fhir/StructureDefinition', { ...widgetDefinition('Patient'), url: 'http://example.org/fhir/StructureDefinition/MyPatient' });
    assert.equal(redefine.status, 422);
    assert.deepEqual(issueCodes(redefine.body), ['metadata.type-exists']);
    const { snapshot: _snapshot, ...withoutSnapshot } = widgetDefinition('Gadget');
    const noSnapshot = await flint.post('/fhir/StructureDefinition', withoutSnapshot);
    assert.equal(noSnapshot.status, 422);
    assert.equal((await flint.post('/fhir/Gadget', { resourceType: 'Gadget' })).status, 404);
  });

  it('make a search parameter on an element they add find it, though the parameter was searched before the change', async () => {
    const colour = { ...searchParameter('colour', 'Knob.colour'), base: ['Knob'] };
    const definition = (await flint.post('/fhir/StructureDefinition', widgetDefinition('Knob'))).body;
    assert.equal((await flint.post('/fhir/SearchParameter', colour)).status, 201);
    assert.equal((await flint.get('/fhir/Knob?colour=red')).status, 200);
    const extra = [{ id: 'Knob.colour', path: 'Knob.colour', definition: 'The colour', min: 0, max: '1', base: { path: 'Knob.colour', min: 0, max: '1' }, type: [{ code: 'string' }] }];
    assert.equal((await flint.put(`/fhir/StructureDefinition/${definition.id}`, { ...widgetDefinition('Knob', extra), id: definition.id })).status, 200);
    const knob = (await flint.post('/fhir/Knob', { resourceType: 'Knob', colour: 'red' })).body;
    const after = await flint.get('/fhir/Knob?colour=red');
    assert.equal(after.status, 200, JSON.stringify(after.body));
    assert.deepEqual(after.body.entry.map((entry: any) => entry.resource.id), [knob.id]);
  });

  it('unmount the type when deleted, keeping its data', async () => {
    const definition = (await flint.post('/fhir/StructureDefinition', widgetDefinition('Gizmo'))).body;
    const gizmo = (await flint.post('/fhir/Gizmo', { resourceType: 'Gizmo', name: 'g' })).body;
    await flint.delete(`/fhir/StructureDefinition/${definition.id}`);
    assert.equal((await flint.get(`/fhir/Gizmo/${gizmo.id}`)).status, 404);
    const { rows } = await flint.db.query<{ n: string }>(raw('SELECT count(*) AS n FROM gizmo'));
    assert.equal(Number(rows[0].n), 1);
    await flint.post('/fhir/StructureDefinition', widgetDefinition('Gizmo'));
    assert.equal((await flint.get(`/fhir/Gizmo/${gizmo.id}`)).body.name, 'g');
  });
});
