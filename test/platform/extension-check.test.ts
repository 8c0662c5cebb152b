/**
 * Structural validation meets extensions whose definition the model knows: the value must be of a
 * type the definition's Extension.value[x] allows, wherever the extension is (resource, element,
 * primitive, modifierExtension); unknown URLs are not checked.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import { checkStructure } from '../../src/validation/index.js';

let model: FhirModel;
const COMPLEX = 'http://example.org/fhir/StructureDefinition/complex';
before(async () => {
  model = await loadCoreModel();
  model.addDefinition({
    resourceType: 'StructureDefinition', url: COMPLEX, name: 'Complex', status: 'active', kind: 'complex-type', abstract: false,
    type: 'Extension', derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    differential: { element: [{ path: 'Extension.value[x]', max: '0' }] },
  });
});

const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
const BIRTH_TIME = 'http://hl7.org/fhir/StructureDefinition/patient-birthTime';

const cases: [string, object, [string, string][]][] = [
  ['a known extension with its value type', { resourceType: 'Patient', extension: [{ url: BIRTH_PLACE, valueAddress: { city: 'Oslo' } }] }, []],
  ['an unknown extension with any value', { resourceType: 'Patient', extension: [{ url: 'http://example.org/any', valueString: 'x' }] }, []],
  ['a known extension with another value type', { resourceType: 'Patient', extension: [{ url: BIRTH_PLACE, valueString: 'Oslo' }] },
    [['structure.extension-value-type', 'Patient.extension[0].valueString']]],
  ['a known extension on a primitive', { resourceType: 'Patient', birthDate: '2000-01-01', _birthDate: { extension: [{ url: BIRTH_TIME, valueDate: '2000-01-01' }] } },
    [['structure.extension-value-type', 'Patient._birthDate.extension[0].valueDate']]],
  ['a known extension in an element', { resourceType: 'Patient', name: [{ family: 'x', extension: [{ url: BIRTH_PLACE, valueBoolean: true }] }] },
    [['structure.extension-value-type', 'Patient.name[0].extension[0].valueBoolean']]],
  ['a modifier extension', { resourceType: 'Patient', modifierExtension: [{ url: BIRTH_PLACE, valueCode: 'x' }] },
    [['structure.extension-value-type', 'Patient.modifierExtension[0].valueCode']]],
  ['a value on an extension that takes none', { resourceType: 'Patient', extension: [{ url: COMPLEX, valueString: 'x' }] },
    [['structure.extension-value-not-allowed', 'Patient.extension[0].valueString']]],
  ['an extension that takes no value, with parts', { resourceType: 'Patient', extension: [{ url: COMPLEX, extension: [{ url: 'part', valueString: 'x' }] }] }, []],
];

describe('extensions with a known definition', () => {
  for (const [title, resource, expected] of cases) {
    it(title, () => {
      const issues = checkStructure(model, resource);
      assert.deepEqual(issues.map((issue) => [issue.code, issue.expression?.[0]]), expected);
      for (const issue of issues) assert.equal(issue.type, 'value');
    });
  }
});
