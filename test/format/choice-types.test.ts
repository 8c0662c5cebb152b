/**
 * Choice types in Aidbox format (valueQuantity <-> value: {Quantity}) at every depth: resources,
 * backbone elements, data types inside data types, recursive elements, extensions, contained
 * resources, Bundle entries and Parameters; primitive extensions (_valueString); and the input
 * each direction refuses.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FORMAT_CODES, toAidbox, toFhir } from '../../src/format/index.js';
import type { FhirModel } from '../../src/model/index.js';
import { errorOf, modelWith } from './format-fixtures.js';

let model: FhirModel;
before(async () => { model = await modelWith(); });

const quantity = { value: 72, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' };
const observation = { resourceType: 'Observation', status: 'final', code: { text: 'weight' } };

/** [name, FHIR, Aidbox]: each converts to the other exactly. */
const pairs: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['resource level', { ...observation, valueQuantity: quantity, effectiveDateTime: '2020-01-01' },
    { ...observation, value: { Quantity: quantity }, effective: { dateTime: '2020-01-01' } }],
  ['backbone elements in an array', { ...observation, component: [{ code: { text: 'a' }, valueString: 'x' }, { code: { text: 'b' }, valueBoolean: false }] },
    { ...observation, component: [{ code: { text: 'a' }, value: { string: 'x' } }, { code: { text: 'b' }, value: { boolean: false } }] }],
  ['a data type inside a data type', {
    resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, medicationCodeableConcept: { text: 'm' },
    dosageInstruction: [{ timing: { repeat: { boundsDuration: { value: 5, unit: 'd' } } }, asNeededBoolean: true, doseAndRate: [{ doseQuantity: quantity }] }],
  }, {
    resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { resourceType: 'Patient', id: '1' }, medication: { CodeableConcept: { text: 'm' } },
    dosageInstruction: [{ timing: { repeat: { bounds: { Duration: { value: 5, unit: 'd' } } } }, asNeeded: { boolean: true }, doseAndRate: [{ dose: { Quantity: quantity } }] }],
  }],
  ['recursive elements (Questionnaire.item.item)', {
    resourceType: 'Questionnaire', status: 'active',
    item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'boolean', enableWhen: [{ question: '0', operator: '=', answerBoolean: true }] }] }],
  }, {
    resourceType: 'Questionnaire', status: 'active',
    item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'boolean', enableWhen: [{ question: '0', operator: '=', answer: { boolean: true } }] }] }],
  }],
  ['extensions and extensions of extensions', {
    resourceType: 'Patient', extension: [{ url: 'urn:a', valueQuantity: quantity }, { url: 'urn:b', extension: [{ url: 'c', valueCode: 'x' }] }],
  }, {
    resourceType: 'Patient', extension: [{ url: 'urn:a', value: { Quantity: quantity } }, { url: 'urn:b', extension: [{ url: 'c', value: { code: 'x' } }] }],
  }],
  ['contained resources', { resourceType: 'Patient', contained: [{ ...observation, id: 'o1', valueInteger: 3 }] },
    { resourceType: 'Patient', contained: [{ ...observation, id: 'o1', value: { integer: 3 } }] }],
  ['Bundle entries and entry outcomes', {
    resourceType: 'Bundle', type: 'batch-response',
    entry: [{ resource: { ...observation, valueString: 'x' }, response: { status: '200 OK', outcome: { resourceType: 'OperationOutcome', issue: [] } } }],
  }, {
    resourceType: 'Bundle', type: 'batch-response',
    entry: [{ resource: { ...observation, value: { string: 'x' } }, response: { status: '200 OK', outcome: { resourceType: 'OperationOutcome', issue: [] } } }],
  }],
  ['Parameters values, parts and resources', {
    resourceType: 'Parameters', parameter: [{ name: 'a', valueString: 'x' }, { name: 'b', part: [{ name: 'c', valueReference: { reference: 'Patient/1' } }] },
      { name: 'd', resource: { ...observation, valueBoolean: true } }],
  }, {
    resourceType: 'Parameters', parameter: [{ name: 'a', value: { string: 'x' } }, { name: 'b', part: [{ name: 'c', value: { Reference: { resourceType: 'Patient', id: '1' } } }] },
      { name: 'd', resource: { ...observation, value: { boolean: true } } }],
  }],
  ['primitive extensions of a choice value', { ...observation, valueString: 'x', _valueString: { extension: [{ url: 'urn:e', valueBoolean: true }] } },
    { ...observation, value: { string: 'x', _string: { extension: [{ url: 'urn:e', value: { boolean: true } }] } } }],
  ['a primitive choice with only extensions', { ...observation, _valueString: { id: 'v1' } }, { ...observation, value: { _string: { id: 'v1' } } }],
  ['primitive extensions of repeating primitives', {
    resourceType: 'Patient', name: [{ given: ['a', 'b'], _given: [null, { extension: [{ url: 'urn:e', valueReference: { reference: 'Patient/2' } }] }] }],
  }, {
    resourceType: 'Patient', name: [{ given: ['a', 'b'], _given: [null, { extension: [{ url: 'urn:e', value: { Reference: { resourceType: 'Patient', id: '2' } } }] }] }],
  }],
  ['unknown keys and unknown resource types are copied', { resourceType: 'Patient', whatever: { valueString: 1 }, contained: [{ resourceType: 'Unicorn', valueString: 'x' }] },
    { resourceType: 'Patient', whatever: { valueString: 1 }, contained: [{ resourceType: 'Unicorn', valueString: 'x' }] }],
];

describe('choice type pairs', () => {
  for (const [name, fhir, aidbox] of pairs) {
    it(`${name}: FHIR -> Aidbox and back`, () => {
      assert.deepEqual(toAidbox(model, fhir as never), aidbox);
      assert.deepEqual(toFhir(model, aidbox as never), fhir);
    });
  }

  it('does not change its input', () => {
    const fhir = structuredClone(pairs[1][1]);
    toAidbox(model, fhir as never);
    assert.deepEqual(fhir, pairs[1][1]);
  });
});

describe('malformed Aidbox choice values (400)', () => {
  const rows: [string, unknown, string][] = [
    ['two types', { Quantity: quantity, string: 'x' }, `${FORMAT_CODES.choiceMultipleTypes} Observation.value`],
    ['a value and the extensions of another type', { string: 'x', _boolean: {} }, `${FORMAT_CODES.choiceMultipleTypes} Observation.value`],
    ['empty', {}, `${FORMAT_CODES.choiceEmpty} Observation.value`],
    ['not an object', 'x', `${FORMAT_CODES.choiceNotObject} Observation.value`],
    ['an array', [{ string: 'x' }], `${FORMAT_CODES.choiceNotObject} Observation.value`],
    ['a type the element does not take', { Address: { city: 'x' } }, `${FORMAT_CODES.choiceUnknownType} Observation.value`],
    ['a type in FHIR spelling', { valueString: 'x' }, `${FORMAT_CODES.choiceUnknownType} Observation.value`],
    ['extensions of a complex type', { Quantity: quantity, _Quantity: {} }, `${FORMAT_CODES.choiceUnknownType} Observation.value`],
  ];
  for (const [name, value, expected] of rows) {
    it(name, () => {
      assert.equal(errorOf(() => toFhir(model, { ...observation, value } as never)), `invalid ${expected}`);
    });
  }

  it('names the full path, through Bundle entries and arrays', () => {
    const bundle = {
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ request: { method: 'POST', url: 'Observation' }, resource: observation },
        { request: { method: 'POST', url: 'Observation' }, resource: { ...observation, component: [{ code: { text: 'c' }, value: { string: 'a', integer: 1 } }] } }],
    };
    assert.equal(errorOf(() => toFhir(model, bundle as never)),
      `invalid ${FORMAT_CODES.choiceMultipleTypes} Bundle.entry[1].resource.component[0].value`);
  });

  it('refuses FHIR-style choice keys in Aidbox input', () => {
    assert.equal(errorOf(() => toFhir(model, { ...observation, valueString: 'x' } as never)), `invalid ${FORMAT_CODES.fhirChoiceKey} Observation.valueString`);
    assert.equal(errorOf(() => toFhir(model, { ...observation, _valueString: {} } as never)), `invalid ${FORMAT_CODES.fhirChoiceKey} Observation._valueString`);
  });
});

describe('FHIR the Aidbox form cannot hold keeps its FHIR spelling (conversion to Aidbox never fails)', () => {
  const rows: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['a choice element with values of two types', { ...observation, valueString: 'x', valueBoolean: true, effectiveDateTime: '2020' },
      { ...observation, valueString: 'x', valueBoolean: true, effective: { dateTime: '2020' } }, `${FORMAT_CODES.fhirChoiceKey} Observation.valueString`],
    ['an unknown key with the name of a choice element, before it', { ...observation, value: 1, valueString: 'x', _valueString: { id: 'a' } },
      { ...observation, value: 1, valueString: 'x', _valueString: { id: 'a' } }, `${FORMAT_CODES.choiceNotObject} Observation.value`],
    ['an unknown key with the name of a choice element, after it', { ...observation, valueQuantity: quantity, value: { Quantity: 1 } },
      { ...observation, valueQuantity: quantity, value: { Quantity: 1 } }, `${FORMAT_CODES.fhirChoiceKey} Observation.valueQuantity`],
    ['the same, deep, with the rest converted', {
      ...observation, subject: { reference: 'Patient/1' }, component: [{ code: { text: 'c' }, valueCodeableConcept: { text: 'a' }, valueBoolean: false }],
    }, {
      ...observation, subject: { resourceType: 'Patient', id: '1' }, component: [{ code: { text: 'c' }, valueCodeableConcept: { text: 'a' }, valueBoolean: false }],
    }, `${FORMAT_CODES.fhirChoiceKey} Observation.component[0].valueCodeableConcept`],
  ];
  for (const [name, fhir, aidbox, error] of rows) {
    it(`${name}; written back, it is malformed Aidbox (400)`, () => {
      assert.deepEqual(toAidbox(model, fhir as never), aidbox);
      assert.equal(errorOf(() => toFhir(model, aidbox as never)), `invalid ${error}`);
    });
  }
});
