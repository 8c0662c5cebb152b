/** FHIRPath Patch rules beyond the conformance cases: error codes, choice types, primitive extensions, immutability. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFhirPathPatch } from '../../src/patch/index.js';

type Part = Record<string, unknown>;

function operation(type: string, path: string, more: Part[] = []): Part {
  return { name: 'operation', part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: path }, ...more] };
}
const patch = (...operations: Part[]) => ({ resourceType: 'Parameters', parameter: operations });
const name = (value: string): Part => ({ name: 'name', valueString: value });
const index = (partName: string, value: number): Part => ({ name: partName, valueInteger: value });

const observation = {
  resourceType: 'Observation',
  status: 'final',
  _status: { extension: [{ url: 'http://example.org/why', valueString: 'checked' }] },
  code: { text: 'weight' },
  valueQuantity: { value: 70, unit: 'kg' },
  note: [{ text: 'a' }, { text: 'b' }],
};

test('replace of a choice element may change its type', () => {
  const result: Record<string, unknown> = applyFhirPathPatch(observation, patch(operation('replace', 'Observation.value', [{ name: 'value', valueString: 'heavy' }])));
  assert.equal(result.valueString, 'heavy');
  assert.equal('valueQuantity' in result, false);
});

test('add of a choice element names it by the value type', () => {
  const input = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };
  const result = applyFhirPathPatch(input, patch(operation('add', 'Observation', [name('value'), { name: 'value', valueBoolean: true }])));
  assert.deepEqual(result, { ...input, valueBoolean: true });
  assert.throws(() => applyFhirPathPatch(input, patch(operation('add', 'Observation', [name('value'), { name: 'value', valueUri: 'x' }]))),
    { code: 'patch.invalid-value' });
});

test('paths may use any FHIRPath, including extensions of primitives', () => {
  const result = applyFhirPathPatch(observation, patch(
    operation('replace', "Observation.status.extension.where(url = 'http://example.org/why').value", [{ name: 'value', valueString: 'rechecked' }]),
    operation('delete', "note.where(text = 'a')"),
  ));
  assert.deepEqual(result._status, { extension: [{ url: 'http://example.org/why', valueString: 'rechecked' }] });
  assert.deepEqual(result.note, [{ text: 'b' }]);
  const removed = applyFhirPathPatch(observation, patch(operation('delete', 'Observation.status.extension')));
  assert.equal('_status' in removed, false);
  assert.equal(removed.status, 'final');
});

test('deleting a primitive removes its extensions too', () => {
  const result = applyFhirPathPatch(observation, patch(operation('delete', 'status')));
  assert.equal('status' in result, false);
  assert.equal('_status' in result, false);
});

test('delete of nothing changes nothing; the input is never modified', () => {
  const input = structuredClone(observation);
  assert.deepEqual(applyFhirPathPatch(input, patch(operation('delete', 'Observation.subject'))), observation);
  applyFhirPathPatch(input, patch(operation('delete', 'Observation.note[0]'), operation('replace', 'status', [{ name: 'value', valueCode: 'amended' }])));
  assert.deepEqual(input, observation);
});

test('each broken rule has its code and names the operation', () => {
  const cases: [Part, string][] = [
    [operation('replace', 'Observation.subject', [{ name: 'value', valueReference: { reference: 'Patient/1' } }]), 'patch.no-match'],
    [operation('replace', 'Observation.note.text', [{ name: 'value', valueString: 'x' }]), 'patch.multiple-matches'],
    [operation('delete', 'Observation.note'), 'patch.multiple-matches'],
    [operation('replace', "'computed'", [{ name: 'value', valueString: 'x' }]), 'patch.not-an-element'],
    [operation('insert', 'Observation.code', [index('index', 0), { name: 'value', valueString: 'x' }]), 'patch.not-a-list'],
    [operation('insert', 'Observation.note', [index('index', 3), { name: 'value', valueAnnotation: { text: 'c' } }]), 'patch.index-out-of-bounds'],
    [operation('move', 'Observation.note', [index('source', 0), index('destination', 2)]), 'patch.index-out-of-bounds'],
    [operation('add', 'Observation', [name('code'), { name: 'value', valueCodeableConcept: { text: 'y' } }]), 'patch.element-exists'],
    [operation('add', 'Observation', [name('colour'), { name: 'value', valueString: 'red' }]), 'patch.unknown-element'],
    [operation('add', 'Observation', [name('note')]), 'patch.missing-part'],
    [operation('rename', 'Observation'), 'patch.invalid-type'],
    [operation('move', 'Observation.note', [index('source', -1), index('destination', 0)]), 'patch.invalid-part'],
    [operation('delete', 'Observation.note.where('), 'fhirpath.syntax'],
    [{ name: 'other', part: [] }, 'patch.invalid-operation'],
  ];
  for (const [op, code] of cases) {
    assert.throws(() => applyFhirPathPatch(observation, patch(operation('delete', 'Observation.subject'), op)), (error: { code: string; issues: { expression?: string[] }[] }) => {
      assert.equal(error.code, code, JSON.stringify(op));
      assert.deepEqual(error.issues[0].expression, ['Parameters.parameter[1]']);
      return true;
    });
  }
  assert.throws(() => applyFhirPathPatch(observation, { resourceType: 'Bundle' }), { code: 'patch.invalid-parameters' });
});

test('an anonymous type is built from its parts, lists as the model says', () => {
  const input = { resourceType: 'Patient' };
  const contact = { name: 'value', part: [
    { name: 'name', valueHumanName: { family: 'Doe' } },
    { name: 'telecom', valueContactPoint: { system: 'phone', value: '1' } },
    { name: 'telecom', valueContactPoint: { system: 'email', value: 'a@b' } },
  ] };
  const result = applyFhirPathPatch(input, patch(operation('add', 'Patient', [name('contact'), contact])));
  assert.deepEqual(result, { resourceType: 'Patient', contact: [{ name: { family: 'Doe' }, telecom: [{ system: 'phone', value: '1' }, { system: 'email', value: 'a@b' }] }] });
});

test('insert and move keep the extensions of a primitive list aligned', () => {
  const input = { resourceType: 'Patient', name: [{ given: ['a', 'b'], _given: [null, { extension: [{ url: 'u', valueString: 'x' }] }] }] };
  const result = applyFhirPathPatch(input, patch(
    operation('insert', 'Patient.name.given', [index('index', 0), { name: 'value', valueString: 'z' }]),
    operation('move', 'Patient.name.given', [index('source', 2), index('destination', 0)]),
  ));
  assert.deepEqual(result.name[0], { given: ['b', 'z', 'a'], _given: [{ extension: [{ url: 'u', valueString: 'x' }] }, null, null] });
});
