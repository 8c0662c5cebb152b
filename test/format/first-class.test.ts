/**
 * First-class extensions: extensions bound to field names by annotated extension definitions
 * become named fields (simple values bare or as choice objects, complex extensions as objects of
 * their parts) in the contexts the definitions name, and back; meta.createdAt; extensions that do
 * not fit stay as they are; the registry follows the model; malformed fields are refused.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CREATED_AT_URL, FIRST_CLASS_FIELD_URL, firstClassRegistry, FORMAT_CODES, toAidbox, toFhir } from '../../src/format/index.js';
import type { FhirModel, StructureDefinition } from '../../src/model/index.js';
import { errorOf, extensionDefinition, modelWith, race, RACE_URL } from './format-fixtures.js';

const URL = 'http://example.org/fhir/StructureDefinition/';
const definitions = [
  race,
  extensionDefinition({ url: `${URL}birth-place`, field: 'birthPlace', contexts: ['Patient'], valueTypes: ['Address'] }),
  extensionDefinition({ url: `${URL}flag`, field: 'flag', contexts: ['Observation'], max: '*', valueTypes: ['string', 'boolean'] }),
  extensionDefinition({ url: `${URL}department`, field: 'department', contexts: ['ServiceRequest'], valueTypes: ['Reference'] }),
  extensionDefinition({ url: `${URL}own-name`, field: 'ownName', contexts: ['HumanName'], valueTypes: ['string'] }),
  extensionDefinition({ url: `${URL}contact-rank`, field: 'rank', contexts: ['Patient.contact'], valueTypes: ['positiveInt'] }),
  extensionDefinition({ url: `${URL}birth-time`, field: 'birthTime', contexts: ['Patient.birthDate'], valueTypes: ['dateTime'] }),
  extensionDefinition({ url: `${URL}nested`, field: 'nested', contexts: ['Basic'], parts: [
    { name: 'inner', max: '*', parts: [{ name: 'leaf', valueTypes: ['code'] }, { name: 'when', valueTypes: ['date', 'dateTime'] }] },
  ] }),
  extensionDefinition({ url: `${URL}unbound`, contexts: ['Patient'], valueTypes: ['string'] }),
];

let model: FhirModel;
before(async () => { model = await modelWith(...definitions); });

const coding = (code: string) => ({ system: 'urn:oid:2.16.840.1.113883.6.238', code });
const patient = { resourceType: 'Patient', active: true };

/** [name, FHIR, Aidbox]: each converts to the other exactly. */
const pairs: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['a complex extension becomes an object of its parts', {
    ...patient, extension: [{ url: RACE_URL, extension: [{ url: 'ombCategory', valueCoding: coding('2028-9') }, { url: 'ombCategory', valueCoding: coding('2106-3') }, { url: 'text', valueString: 'Mixed' }] }],
  }, { ...patient, race: { ombCategory: [coding('2028-9'), coding('2106-3')], text: 'Mixed' } }],
  ['a simple extension with one type is a bare value, converted by its type', {
    ...patient, extension: [{ url: `${URL}birth-place`, valueAddress: { city: 'Oslo' } }],
  }, { ...patient, birthPlace: { city: 'Oslo' } }],
  ['a repeating extension with several types is an array of choice objects', {
    resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [{ url: `${URL}flag`, valueString: 'a' }, { url: `${URL}flag`, valueBoolean: true }],
  }, { resourceType: 'Observation', status: 'final', code: { text: 'x' }, flag: [{ string: 'a' }, { boolean: true }] }],
  ['a Reference value takes the Aidbox reference form', {
    resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' },
    extension: [{ url: `${URL}department`, valueReference: { reference: 'Organization/d1', display: 'Neurology' } }],
  }, {
    resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { resourceType: 'Patient', id: '1' },
    department: { resourceType: 'Organization', id: 'd1', display: 'Neurology' },
  }],
  ['a data type context applies wherever the type appears', {
    ...patient, name: [{ family: 'Ng', extension: [{ url: `${URL}own-name`, valueString: 'Ng' }] }],
    contact: [{ name: { family: 'Li', extension: [{ url: `${URL}own-name`, valueString: 'Li' }] } }],
  }, { ...patient, name: [{ family: 'Ng', ownName: 'Ng' }], contact: [{ name: { family: 'Li', ownName: 'Li' } }] }],
  ['a backbone element context', { ...patient, contact: [{ gender: 'male', extension: [{ url: `${URL}contact-rank`, valuePositiveInt: 1 }] }] },
    { ...patient, contact: [{ gender: 'male', rank: 1 }] }],
  ['a primitive element context (inside _birthDate)', {
    ...patient, birthDate: '1970-01-01', _birthDate: { extension: [{ url: `${URL}birth-time`, valueDateTime: '1970-01-01T10:00:00Z' }] },
  }, { ...patient, birthDate: '1970-01-01', _birthDate: { birthTime: '1970-01-01T10:00:00Z' } }],
  ['parts nest, and repeat where their definition says', {
    resourceType: 'Basic', code: { text: 'x' },
    extension: [{ url: `${URL}nested`, extension: [{ url: 'inner', extension: [{ url: 'leaf', valueCode: 'a' }, { url: 'when', valueDate: '2020' }] }, { url: 'inner', extension: [{ url: 'leaf', valueCode: 'b' }] }] }],
  }, { resourceType: 'Basic', code: { text: 'x' }, nested: { inner: [{ leaf: 'a', when: { date: '2020' } }, { leaf: 'b' }] } }],
  ['a complex extension without parts is an empty object', { ...patient, extension: [{ url: RACE_URL }] }, { ...patient, race: {} }],
  ['meta.createdAt', { ...patient, meta: { versionId: '3', extension: [{ url: CREATED_AT_URL, valueInstant: '2024-01-02T03:04:05.678Z' }] } },
    { ...patient, meta: { versionId: '3', createdAt: '2024-01-02T03:04:05.678Z' } }],
  ['unknown and unbound extensions stay, their choices converted; first-class fields follow them', {
    ...patient, extension: [{ url: 'urn:unknown', valueQuantity: { value: 1 } }, { url: `${URL}unbound`, valueString: 'u' }, { url: `${URL}birth-place`, valueAddress: { city: 'Oslo' } }],
  }, { ...patient, extension: [{ url: 'urn:unknown', value: { Quantity: { value: 1 } } }, { url: `${URL}unbound`, value: { string: 'u' } }], birthPlace: { city: 'Oslo' } }],
  ['a bound extension outside its context stays', {
    resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [{ url: `${URL}birth-place`, valueAddress: { city: 'Oslo' } }],
  }, { resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [{ url: `${URL}birth-place`, value: { Address: { city: 'Oslo' } } }] }],
  ['first-class fields in contained resources', { ...patient, contained: [{ ...patient, id: 'p2', extension: [{ url: `${URL}birth-place`, valueAddress: { city: 'Rome' } }] }] },
    { ...patient, contained: [{ ...patient, id: 'p2', birthPlace: { city: 'Rome' } }] }],
];

describe('first-class field pairs', () => {
  for (const [name, fhir, aidbox] of pairs) {
    it(`${name}: FHIR -> Aidbox and back`, () => {
      assert.deepEqual(toAidbox(model, fhir as never), aidbox);
      assert.deepEqual(toFhir(model, aidbox as never), fhir);
    });
  }
});

const birthPlace = { url: `${URL}birth-place`, valueAddress: { city: 'Oslo' } };

/** FHIR whose bound extensions do not fit their field: they stay in extension, and the round trip is exact. */
const kept: [string, Record<string, unknown>][] = [
  ['an extension with an id', { ...patient, extension: [{ ...birthPlace, id: 'e1' }] }],
  ['two where the field takes one', { ...patient, extension: [birthPlace, birthPlace] }],
  ['a value of a type the definition does not allow', { ...patient, extension: [{ url: `${URL}birth-place`, valueString: 'Oslo' }] }],
  ['a simple extension with sub-extensions', { ...patient, extension: [{ url: `${URL}birth-place`, extension: [{ url: 'a', valueString: 'b' }] }] }],
  ['a value with primitive extensions', { ...patient, extension: [{ url: `${URL}unbound`, valueString: 'x' }, { url: `${URL}own-name`, valueString: 'x', _valueString: { id: 'p' } }] }],
  ['a complex extension with an unknown part', { ...patient, extension: [{ url: RACE_URL, extension: [{ url: 'text', valueString: 'x' }, { url: 'other', valueString: 'y' }] }] }],
  ['a complex extension with a value', { ...patient, extension: [{ url: RACE_URL, valueString: 'x' }] }],
  ['a part repeated where it takes one', { ...patient, extension: [{ url: RACE_URL, extension: [{ url: 'text', valueString: 'x' }, { url: 'text', valueString: 'y' }] }] }],
  ['a part with a null value', { ...patient, extension: [{ url: RACE_URL, extension: [{ url: 'text', valueString: null }] }] }],
];

describe('an unknown key with the name of a field', () => {
  it('keeps the bound extensions in extension; read back, the key becomes the field\'s extension', () => {
    const fhir = { ...patient, birthPlace: { city: 'Rome' }, extension: [birthPlace] };
    const aidbox = toAidbox(model, fhir as never);
    assert.deepEqual(aidbox, { ...patient, birthPlace: { city: 'Rome' }, extension: [{ url: birthPlace.url, value: { Address: { city: 'Oslo' } } }] });
    assert.deepEqual(toFhir(model, aidbox), { ...patient, extension: [birthPlace, { url: birthPlace.url, valueAddress: { city: 'Rome' } }] });
  });
});

describe('bound extensions that do not fit stay in extension', () => {
  for (const [name, fhir] of kept) {
    it(name, () => {
      const aidbox = toAidbox(model, fhir as never) as Record<string, unknown>;
      assert.equal(Array.isArray(aidbox.extension), true);
      assert.equal((aidbox.extension as unknown[]).length, (fhir.extension as unknown[]).length);
      assert.deepEqual(toFhir(model, aidbox as never), fhir);
    });
  }
});

describe('order of extensions', () => {
  it('first-class extensions come back after the extensions that stayed (FHIR gives extension order no meaning)', () => {
    const fhir = { ...patient, extension: [birthPlace, { url: 'urn:other', valueString: 'x' }] };
    const back = toFhir(model, toAidbox(model, fhir as never)) as Record<string, unknown>;
    assert.deepEqual(back.extension, [{ url: 'urn:other', valueString: 'x' }, birthPlace]);
  });

  it('an Aidbox extension array with a bound extension that fits comes back as the field', () => {
    const aidbox = { ...patient, extension: [{ url: `${URL}birth-place`, value: { Address: { city: 'Oslo' } } }] };
    assert.deepEqual(toAidbox(model, toFhir(model, aidbox as never)), { ...patient, birthPlace: { city: 'Oslo' } });
  });
});

describe('malformed first-class fields in Aidbox input (400)', () => {
  const rows: [string, Record<string, unknown>, string][] = [
    ['an array where the field takes one value', { ...patient, birthPlace: [{ city: 'x' }] }, `${FORMAT_CODES.extensionCardinality} Patient.birthPlace`],
    ['one value where the field repeats', { resourceType: 'Observation', flag: { string: 'a' } }, `${FORMAT_CODES.extensionCardinality} Observation.flag`],
    ['an empty array', { resourceType: 'Observation', flag: [] }, `${FORMAT_CODES.extensionCardinality} Observation.flag`],
    ['a null value', { ...patient, birthPlace: null }, `${FORMAT_CODES.extensionValue} Patient.birthPlace`],
    ['a bare value where the field needs a choice object', { resourceType: 'Observation', flag: ['a'] }, `${FORMAT_CODES.choiceNotObject} Observation.flag[0]`],
    ['a choice object with two types', { resourceType: 'Observation', flag: [{ string: 'a', boolean: true }] }, `${FORMAT_CODES.choiceMultipleTypes} Observation.flag[0]`],
    ['a type the extension does not allow', { resourceType: 'Observation', flag: [{ integer: 1 }] }, `${FORMAT_CODES.choiceUnknownType} Observation.flag[0]`],
    ['an unknown part', { ...patient, race: { text: 'x', colour: 'y' } }, `${FORMAT_CODES.extensionUnknownPart} Patient.race.colour`],
    ['a complex field that is not an object', { ...patient, race: 'x' }, `${FORMAT_CODES.extensionValue} Patient.race`],
    ['a part of the wrong cardinality, deep', { resourceType: 'Basic', nested: { inner: [{ leaf: ['a'] }] } }, `${FORMAT_CODES.extensionCardinality} Basic.nested.inner[0].leaf`],
    ['an extension key that is not an array next to a field', { ...patient, extension: { url: 'x' }, birthPlace: { city: 'x' } }, `${FORMAT_CODES.extensionNotArray} Patient.extension`],
    ['a bad createdAt', { ...patient, meta: { createdAt: ['2020'] } }, `${FORMAT_CODES.extensionCardinality} Patient.meta.createdAt`],
  ];
  for (const [name, aidbox, expected] of rows) {
    it(name, () => assert.equal(errorOf(() => toFhir(model, aidbox as never)), `invalid ${expected}`));
  }
});

describe('the registry follows the model', () => {
  it('binds a definition added later, and forgets one removed', async () => {
    const local = await modelWith();
    const fhir = { ...patient, extension: [birthPlace] };
    assert.deepEqual(toAidbox(local, fhir as never), { ...patient, extension: [{ url: birthPlace.url, value: { Address: { city: 'Oslo' } } }] });
    const definition = definitions[1];
    local.addDefinition(definition);
    assert.deepEqual(toAidbox(local, fhir as never), { ...patient, birthPlace: { city: 'Oslo' } });
    local.removeDefinition(definition);
    assert.deepEqual(toAidbox(local, fhir as never), { ...patient, extension: [{ url: birthPlace.url, value: { Address: { city: 'Oslo' } } }] });
  });

  it('a copy of a core extension posted with the annotation binds it, whatever its version', async () => {
    const local = await modelWith();
    const core = local.canonical.resolve<StructureDefinition>('StructureDefinition', 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName');
    assert.ok(core);
    const { version: _version, ...copy } = core;
    local.addDefinition({ ...copy, extension: [{ url: FIRST_CLASS_FIELD_URL, valueCode: 'mothersMaidenName' }] });
    const fhir = { ...patient, extension: [{ url: core.url, valueString: 'Smith' }] };
    assert.deepEqual(toAidbox(local, fhir as never), { ...patient, mothersMaidenName: 'Smith' });
    assert.deepEqual(toFhir(local, { ...patient, mothersMaidenName: 'Smith' } as never), fhir);
  });

  it('when two definitions reach the model with one name for one context, the smaller url wins and the other is reported', async () => {
    const a = extensionDefinition({ url: 'http://a.org/ext', field: 'mark', contexts: ['Patient'], valueTypes: ['string'] });
    const b = extensionDefinition({ url: 'http://b.org/ext', field: 'mark', contexts: ['DomainResource'], valueTypes: ['string'] });
    const local = await modelWith(b, a);
    const fhir = { ...patient, extension: [{ url: 'http://a.org/ext', valueString: 'A' }, { url: 'http://b.org/ext', valueString: 'B' }] };
    assert.deepEqual(toAidbox(local, fhir as never), { ...patient, extension: [{ url: 'http://b.org/ext', value: { string: 'B' } }], mark: 'A' });
    assert.ok(firstClassRegistry(local).problems.some((problem) => problem.startsWith('http://b.org/ext: the field mark is taken at Patient')));
  });

  it('a definition whose name is an element of a context it covers binds nowhere that element exists', async () => {
    const local = await modelWith(extensionDefinition({ url: 'http://a.org/status', field: 'status', contexts: ['DomainResource'], valueTypes: ['string'] }));
    const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [{ url: 'http://a.org/status', valueString: 's' }] };
    assert.deepEqual(toAidbox(local, observation as never), { ...observation, extension: [{ url: 'http://a.org/status', value: { string: 's' } }] });
    assert.deepEqual(toAidbox(local, { ...patient, extension: [{ url: 'http://a.org/status', valueString: 's' }] } as never), { ...patient, status: 's' });
  });
});
