/** JSON Patch: one stable code per problem, operations checked before any is applied, input untouched. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../src/patch/index.js';

const patient = { resourceType: 'Patient', id: 'p1', active: true, name: [{ family: 'Doe', given: ['Jane'] }] };

test('operations apply in order to a copy', () => {
  const input = structuredClone(patient);
  const result = applyJsonPatch(input, [
    { op: 'test', path: '/active', value: true },
    { op: 'replace', path: '/active', value: false },
    { op: 'add', path: '/name/0/given/-', value: 'Ann' },
    { op: 'copy', from: '/name/0/family', path: '/name/0/prefix' },
    { op: 'remove', path: '/id' },
  ]);
  assert.deepEqual(result, { resourceType: 'Patient', active: false, name: [{ family: 'Doe', given: ['Jane', 'Ann'], prefix: 'Doe' }] });
  assert.deepEqual(input, patient);
});

test('values added are copies of the patch values', () => {
  const value = { family: 'Roe' };
  const result = applyJsonPatch(patient, [{ op: 'add', path: '/name/-', value }]);
  value.family = 'changed';
  assert.equal(result.name[1].family, 'Roe');
});

test('each problem has its code', () => {
  const cases: [unknown, string][] = [
    [{ op: 'add', path: '/x', value: 1 }, 'patch.not-an-array'],
    [['add'], 'patch.invalid-operation'],
    [[{ op: 'merge', path: '/x' }], 'patch.invalid-op'],
    [[{ op: 'add', path: 'x', value: 1 }], 'patch.invalid-path'],
    [[{ op: 'move', from: 'name', path: '/x' }], 'patch.invalid-path'],
    [[{ op: 'copy', path: '/x' }], 'patch.from-required'],
    [[{ op: 'replace', path: '/active' }], 'patch.value-required'],
    [[{ op: 'remove', path: '/telecom' }], 'patch.path-not-found'],
    [[{ op: 'add', path: '/telecom/0/value', value: 1 }], 'patch.path-not-found'],
    [[{ op: 'move', from: '/telecom', path: '/x' }], 'patch.from-not-found'],
    [[{ op: 'add', path: '/name/x', value: {} }], 'patch.invalid-array-index'],
    [[{ op: 'add', path: '/name/5', value: {} }], 'patch.index-out-of-bounds'],
    [[{ op: 'test', path: '/active', value: false }], 'patch.test-failed'],
    [[{ op: 'replace', path: '/resourceType', value: 'Person' }], 'patch.result-not-a-resource'],
    [[{ op: 'remove', path: '' }], 'patch.result-not-a-resource'],
  ];
  for (const [operations, code] of cases) {
    assert.throws(() => applyJsonPatch(patient, operations), { code, category: 'unprocessable' }, JSON.stringify(operations));
  }
});

test('a malformed later operation fails before an earlier one is applied', () => {
  assert.throws(() => applyJsonPatch(patient, [{ op: 'remove', path: '/nothing' }, { op: 'bad', path: '/x' }]), { code: 'patch.invalid-op' });
});

test('diagnostics do not echo the resource', () => {
  assert.throws(() => applyJsonPatch(patient, [{ op: 'test', path: '/id', value: 'x' }]), (error: Error) => !error.message.includes('Doe'));
});
