/**
 * The model compiled from the official R4 core package: types, elements, cardinalities, choice
 * types, reference targets, primitive patterns, search parameters and compartments.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import { compareVersions } from '../../src/packages/index.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

describe('core model', () => {
  it('knows the 146 concrete R4 resource types and not the abstract ones', () => {
    assert.equal(model.resourceTypes().length, 146);
    assert.ok(model.isResourceType('Patient'));
    assert.ok(!model.isResourceType('DomainResource'));
    assert.ok(!model.isResourceType('HumanName'));
  });

  it('compiles cardinalities and arrays', () => {
    const name = model.elementAtPath('Patient.name');
    assert.equal(name?.min, 0);
    assert.equal(name?.max, Infinity);
    assert.equal(name?.isArray, true);
    assert.equal(model.elementAtPath('Observation.status')?.min, 1);
    assert.equal(model.elementAtPath('Observation.status')?.isArray, false);
  });

  it('spells out choice types as JSON keys', () => {
    const observation = model.getType('Observation');
    assert.equal(observation?.keys.get('valueQuantity')?.type, 'Quantity');
    assert.equal(observation?.keys.get('effectivePeriod')?.element.name, 'effective');
    assert.equal(observation?.keys.get('value'), undefined);
  });

  it('keeps reference targets', () => {
    const subject = model.elementAtPath('Observation.subject');
    assert.deepEqual(subject?.types[0].targetTypes, ['Patient', 'Group', 'Device', 'Location']);
  });

  it('follows contentReference for recursive elements', () => {
    const nested = model.elementAtPath('Questionnaire.item.item.linkId');
    assert.equal(nested?.path, 'Questionnaire.item.linkId');
  });

  it('reads primitive patterns from the definitions', () => {
    assert.ok(model.getType('date')?.primitive?.pattern?.test('2024-02'));
    assert.ok(!model.getType('date')?.primitive?.pattern?.test('2024-2'));
    assert.equal(model.getType('decimal')?.primitive?.jsonType, 'number');
  });

  it('indexes search parameters by type, with the Resource ones inherited', () => {
    const patient = model.searchParameters.forType('Patient');
    assert.equal(patient.get('family')?.type, 'string');
    assert.equal(patient.get('_id')?.type, 'token');
    assert.equal(model.searchParameters.get('Observation', 'subject')?.type, 'reference');
  });

  it('knows compartments', () => {
    assert.deepEqual(model.compartments.params('Patient', 'Observation'), ['subject', 'performer']);
    assert.ok(model.compartments.memberTypes('Patient').includes('Encounter'));
  });

  it('resolves canonicals with and without version', () => {
    assert.equal(model.canonical.resolve('StructureDefinition', 'http://hl7.org/fhir/StructureDefinition/Patient|4.0.1')?.name, 'Patient');
    assert.equal(model.canonical.resolve('StructureDefinition', 'http://hl7.org/fhir/StructureDefinition/Patient')?.name, 'Patient');
    assert.equal(model.canonical.resolve('StructureDefinition', 'http://hl7.org/fhir/StructureDefinition/Patient|3.0.0'), undefined);
    assert.ok(compareVersions('4.0.10', '4.0.9') > 0);
  });
});
