/**
 * Structural checks (table-driven): each case is a resource and the issue codes and paths it must
 * produce; valid resources produce none.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import { checkStructure } from '../../src/validation/index.js';

let model: FhirModel;
before(async () => { model = await loadCoreModel(); });

const valid: [string, object][] = [
  ['a minimal patient', { resourceType: 'Patient' }],
  ['choice types', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1.5, unit: 'mg' }, effectiveDateTime: '2024-02-29T10:00:00+01:00' }],
  ['primitive extensions aligned with their array', { resourceType: 'Patient', name: [{ given: ['a', 'b'], _given: [null, { extension: [{ url: 'http://x', valueString: 'y' }] }] }] }],
  ['a primitive extension without a value', { resourceType: 'Patient', _birthDate: { extension: [{ url: 'http://x', valueBoolean: true }] } }],
  ['contained resources', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'p1' }] }],
  ['recursive elements (contentReference)', { resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'string' }] }] }],
  ['a bundle of resources', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', active: true } }] }],
  ['all the dates', { resourceType: 'Patient', birthDate: '2000', deceasedDateTime: '2020-05' }],
  ['decimals and integers', { resourceType: 'RiskAssessment', status: 'final', subject: { reference: 'Patient/1' }, prediction: [{ probabilityDecimal: 0.25 }] }],
];

const invalid: [string, object, [string, string][]][] = [
  ['an unknown element', { resourceType: 'Patient', colour: 'blue' }, [['structure.unknown-element', 'Patient.colour']]],
  ['an unknown resourceType', { resourceType: 'Unicorn' }, [['structure.unknown-resource-type', 'resourceType']]],
  ['an abstract resourceType', { resourceType: 'DomainResource' }, [['structure.abstract-resource-type', 'DomainResource']]],
  ['a bad id', { resourceType: 'Patient', id: 'no spaces allowed' }, [['structure.invalid-id', 'Patient.id']]],
  ['a single value where an array belongs', { resourceType: 'Patient', name: { family: 'x' } }, [['structure.expected-array', 'Patient.name']]],
  ['an array where one value belongs', { resourceType: 'Patient', gender: ['male'] }, [['structure.unexpected-array', 'Patient.gender']]],
  ['a bad date', { resourceType: 'Patient', birthDate: '2024-02-30' }, [['structure.invalid-primitive', 'Patient.birthDate']]],
  ['a bad dateTime', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectiveDateTime: '2024-01-01T25:00:00Z' }, [['structure.invalid-primitive', 'Observation.effectiveDateTime']]],
  ['a string boolean', { resourceType: 'Patient', active: 'true' }, [['structure.invalid-primitive', 'Patient.active']]],
  ['a decimal integer', { resourceType: 'Patient', multipleBirthInteger: 1.5 }, [['structure.invalid-primitive', 'Patient.multipleBirthInteger']]],
  ['a code with spaces around', { resourceType: 'Patient', gender: ' male' }, [['structure.invalid-primitive', 'Patient.gender']]],
  ['an empty string', { resourceType: 'Patient', name: [{ family: '' }] }, [['structure.invalid-primitive', 'Patient.name[0].family']]],
  ['an empty array', { resourceType: 'Patient', name: [] }, [['structure.empty-array', 'Patient.name']]],
  ['an empty object', { resourceType: 'Patient', maritalStatus: {} }, [['structure.empty-object', 'Patient.maritalStatus']]],
  ['a null value', { resourceType: 'Patient', gender: null }, [['structure.null-value', 'Patient.gender']]],
  ['an object where a primitive belongs', { resourceType: 'Patient', gender: { code: 'male' } }, [['structure.invalid-primitive', 'Patient.gender']]],
  ['a primitive where an object belongs', { resourceType: 'Patient', maritalStatus: 'M' }, [['structure.wrong-json-type', 'Patient.maritalStatus']]],
  ['a choice type that does not exist', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueAddress: { city: 'x' } }, [['structure.unknown-element', 'Observation.valueAddress']]],
  ['an unknown element in a contained resource', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', bogus: 1 }] }, [['structure.unknown-element', 'Observation.contained[0].bogus']]],
  ['an unknown element deep down', { resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1', type: 'group', item: [{ linkId: '2', type: 'string', nope: true }] }] }, [['structure.unknown-element', 'Questionnaire.item[0].item[0].nope']]],
  ['a misaligned primitive extension', { resourceType: 'Patient', name: [{ given: ['a'], _given: [null, null] }] }, [['structure.primitive-extension-mismatch', 'Patient.name[0]._given']]],
  ['a primitive extension on a complex element', { resourceType: 'Patient', _maritalStatus: { id: 'x' } }, [['structure.unknown-element', 'Patient._maritalStatus']]],
  ['an integer out of range', { resourceType: 'Patient', multipleBirthInteger: 2147483648 }, [['structure.invalid-primitive', 'Patient.multipleBirthInteger']]],
];

describe('structurally valid resources', () => {
  for (const [name, resource] of valid) {
    it(name, () => assert.deepEqual(checkStructure(model, resource), []));
  }
});

describe('structural problems', () => {
  for (const [name, resource, expected] of invalid) {
    it(name, () => {
      const found = checkStructure(model, resource).map((issue) => [issue.code, issue.expression?.[0]]);
      assert.deepEqual(found, expected);
    });
  }
});
