/**
 * Custom resource types posted as a StructureDefinition with only a differential: with auto-mount
 * on they are served at /fhir/{Type} at once, with storage, history, structural validation (nested
 * BackboneElements, choice types, contentReference) and search by the SearchParameters posted for
 * them; updating the definition updates the model; deleting it unmounts the type and keeps the
 * data. Definitions that cannot compile are rejected with nothing created. Extension definitions
 * posted the same way check the extensions that use them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { rowCount, tableExists } from './platform-helpers.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

const GADGET_URL = 'http://example.org/fhir/StructureDefinition/Gadget';

function gadgetDefinition(extra: object[] = []) {
  return {
    resourceType: 'StructureDefinition', url: GADGET_URL, name: 'Gadget', status: 'active', kind: 'resource', abstract: false,
    type: 'Gadget', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/DomainResource', derivation: 'specialization',
    differential: {
      element: [
        { id: 'Gadget', path: 'Gadget', short: 'A gadget' },
        { id: 'Gadget.identifier', path: 'Gadget.identifier', min: 0, max: '*', type: [{ code: 'Identifier' }] },
        { id: 'Gadget.part', path: 'Gadget.part', min: 0, max: '*', type: [{ code: 'BackboneElement' }] },
        { id: 'Gadget.part.label', path: 'Gadget.part.label', min: 1, max: '1', type: [{ code: 'string' }] },
        { id: 'Gadget.part.subpart', path: 'Gadget.part.subpart', min: 0, max: '*', contentReference: '#Gadget.part' },
        { id: 'Gadget.measure[x]', path: 'Gadget.measure[x]', min: 0, max: '1', type: [{ code: 'Quantity' }, { code: 'string' }] },
        ...extra,
      ],
    },
  };
}

const gadget = {
  resourceType: 'Gadget',
  identifier: [{ system: 'http://example.org/serial', value: 'G-1' }],
  part: [{ label: 'case', subpart: [{ label: 'screw', subpart: [{ label: 'thread' }] }] }],
  measureQuantity: { value: 12.5, unit: 'cm' },
};

let definitionId: string;

describe('a resource type defined by a differential', () => {
  it('is served at once, with storage and history', async () => {
    const posted = await flint.post('/fhir/StructureDefinition', gadgetDefinition());
    assert.equal(posted.status, 201, posted.text);
    definitionId = posted.body.id;
    assert.equal(posted.body.snapshot, undefined);
    const created = await flint.post('/fhir/Gadget', gadget);
    assert.equal(created.status, 201, created.text);
    const updated = await flint.put(`/fhir/Gadget/${created.body.id}`, { ...gadget, id: created.body.id, measureString: 'large', measureQuantity: undefined });
    assert.equal(updated.status, 200, updated.text);
    assert.equal((await flint.get(`/fhir/Gadget/${created.body.id}`)).body.measureString, 'large');
    assert.equal((await flint.get(`/fhir/Gadget/${created.body.id}/_history`)).body.total, 2);
    assert.equal(await rowCount(flint, 'gadget_history'), 1);
    const entry = (await flint.get('/fhir/metadata')).body.rest[0].resource.find((resource: any) => resource.type === 'Gadget');
    assert.equal(entry.profile, GADGET_URL);
  });

  const invalid: [string, object, number, string, string][] = [
    ['an unknown element', { resourceType: 'Gadget', colour: 'red' }, 400, 'structure.unknown-element', 'Gadget.colour'],
    ['an unknown element in a part', { resourceType: 'Gadget', part: [{ label: 'x', weight: 1 }] }, 400, 'structure.unknown-element', 'Gadget.part[0].weight'],
    ['a choice type it does not have', { resourceType: 'Gadget', measureBoolean: true }, 400, 'structure.unknown-element', 'Gadget.measureBoolean'],
    ['one part where parts repeat', { resourceType: 'Gadget', part: { label: 'x' } }, 400, 'structure.expected-array', 'Gadget.part'],
    ['a bad value in a nested part', { resourceType: 'Gadget', part: [{ label: 'x', subpart: [{ label: 7 }] }] }, 422, 'structure.invalid-primitive', 'Gadget.part[0].subpart[0].label'],
  ];
  for (const [title, resource, status, code, expression] of invalid) {
    it(`validates its elements: ${title}`, async () => {
      const answer = await flint.post('/fhir/Gadget', resource);
      assert.equal(answer.status, status, answer.text);
      assert.deepEqual(issueCodes(answer.body), [code]);
      assert.deepEqual(answer.body.issue[0].expression, [expression]);
    });
  }

  it('is searched by the SearchParameters posted for it', async () => {
    const parameter = {
      resourceType: 'SearchParameter', url: 'http://example.org/fhir/SearchParameter/gadget-identifier', name: 'identifier', status: 'active',
      description: 'serial', code: 'identifier', base: ['Gadget'], type: 'token', expression: 'Gadget.identifier',
    };
    assert.equal((await flint.post('/fhir/SearchParameter', parameter)).status, 201);
    assert.equal(flint.ctx.model.searchParameters.get('Gadget', 'identifier')?.expression, 'Gadget.identifier');
    await flint.post('/fhir/Gadget', { ...gadget, identifier: [{ system: 'http://example.org/serial', value: 'G-2' }] });
    const found = await flint.get('/fhir/Gadget?identifier=http://example.org/serial|G-2');
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.entry.map((entry: any) => entry.resource.identifier[0].value), ['G-2']);
    const entry = (await flint.get('/fhir/metadata')).body.rest[0].resource.find((resource: any) => resource.type === 'Gadget');
    assert.ok(entry.searchParam.some((param: any) => param.name === 'identifier' && param.type === 'token'));
  });

  it('changes with its definition', async () => {
    assert.equal((await flint.post('/fhir/Gadget', { resourceType: 'Gadget', colour: 'red' })).status, 400);
    const colour = { id: 'Gadget.colour', path: 'Gadget.colour', min: 0, max: '1', type: [{ code: 'code' }] };
    const updated = await flint.put(`/fhir/StructureDefinition/${definitionId}`, { ...gadgetDefinition([colour]), id: definitionId });
    assert.equal(updated.status, 200, updated.text);
    assert.equal((await flint.post('/fhir/Gadget', { resourceType: 'Gadget', colour: 'red' })).status, 201);
  });

  it('is unmounted when its definition is deleted, and its data stays', async () => {
    const before = await rowCount(flint, 'gadget');
    assert.ok(before > 0);
    await flint.delete(`/fhir/StructureDefinition/${definitionId}`);
    const answer = await flint.get('/fhir/Gadget');
    assert.equal(answer.status, 404);
    assert.deepEqual(issueCodes(answer.body), ['rest.unknown-type']);
    assert.equal((await flint.get('/fhir/metadata')).body.rest[0].resource.some((resource: any) => resource.type === 'Gadget'), false);
    assert.equal(await rowCount(flint, 'gadget'), before);
    assert.equal((await flint.post('/fhir/StructureDefinition', gadgetDefinition())).status, 201);
    assert.equal((await flint.get('/fhir/Gadget')).body.total, before);
  });
});

describe('definitions that cannot be served', () => {
  const base = (type: string, elements: object[], extra: object = {}) => ({
    resourceType: 'StructureDefinition', url: `http://example.org/fhir/StructureDefinition/${type}`, name: 'Bad', status: 'active',
    kind: 'resource', abstract: false, type, baseDefinition: 'http://hl7.org/fhir/StructureDefinition/DomainResource',
    derivation: 'specialization', differential: { element: [{ id: type, path: type }, ...elements] }, ...extra,
  });
  const cases: [string, object, string, string | undefined][] = [
    ['an element of an unknown type', base('Thingamajig', [{ id: 'Thingamajig.x', path: 'Thingamajig.x', type: [{ code: 'Wibble' }] }]), 'metadata.invalid-definition', 'thingamajig'],
    ['a contentReference to nothing', base('Whatsit', [{ id: 'Whatsit.x', path: 'Whatsit.x', contentReference: '#Whatsit.y' }]), 'metadata.invalid-definition', 'whatsit'],
    ['a differential on another base', base('Sprocket', [], { baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient' }), 'metadata.no-snapshot', 'sprocket'],
    ['a type name that cannot be a URL segment', base('bad_name', []), 'metadata.invalid-type-name', undefined],
    ['a type name whose tables would not fit', base(`T${'x'.repeat(55)}`, []), 'metadata.invalid-type-name', undefined],
    ['a new definition of a server type', { ...base('FlintStorage', []), url: 'urn:flint:StructureDefinition:FlintStorage' }, 'platform.system-type', undefined],
  ];
  for (const [title, definition, code, table] of cases) {
    it(`rejects ${title} with a 422, creating nothing`, async () => {
      const before = (await flint.get('/fhir/StructureDefinition?_count=0&_total=accurate')).body.total;
      const answer = await flint.post('/fhir/StructureDefinition', definition);
      assert.equal(answer.status, 422, answer.text);
      assert.deepEqual(issueCodes(answer.body), [code]);
      assert.equal((await flint.get('/fhir/StructureDefinition?_count=0&_total=accurate')).body.total, before);
      const type = (definition as { type: string }).type;
      if (type !== 'FlintStorage') assert.equal(flint.ctx.model.getType(type), undefined);
      if (table) assert.equal(await tableExists(flint, table), false);
    });
  }
});

describe('extension definitions', () => {
  it('check the values of the extensions that use them', async () => {
    const url = 'http://example.org/fhir/StructureDefinition/shoe-size';
    const definition = {
      resourceType: 'StructureDefinition', url, name: 'ShoeSize', status: 'active', kind: 'complex-type', abstract: false,
      context: [{ type: 'element', expression: 'Patient' }], type: 'Extension', derivation: 'constraint',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
      differential: { element: [{ id: 'Extension.url', path: 'Extension.url', fixedUri: url }, { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'integer' }] }] },
    };
    assert.equal((await flint.post('/fhir/StructureDefinition', definition)).status, 201);
    const wrong = await flint.post('/fhir/Patient', { resourceType: 'Patient', extension: [{ url, valueString: '42' }] });
    assert.equal(wrong.status, 422);
    assert.deepEqual(issueCodes(wrong.body), ['structure.extension-value-type']);
    assert.deepEqual(wrong.body.issue[0].expression, ['Patient.extension[0].valueString']);
    assert.equal((await flint.post('/fhir/Patient', { resourceType: 'Patient', extension: [{ url, valueInteger: 42 }] })).status, 201);
  });
});
