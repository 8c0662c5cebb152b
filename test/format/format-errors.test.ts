/** The format catalogue: each code with its category and issue type, as conversions and definition checks raise it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listErrorCodes } from '../../src/core/index.js';
import { FORMAT_CODES, formatErrors } from '../../src/format/index.js';

test('every format code is declared once, conversions as structure errors, definitions as 422', () => {
  const declared = new Map(listErrorCodes().filter((entry) => entry.module === 'format').map((entry) => [entry.code, entry]));
  assert.deepEqual([...declared.keys()].sort(), Object.values(FORMAT_CODES).sort());
  const definitionCodes = ['format.field-clash', 'format.invalid-field-name', 'format.unsupported-context', 'format.unknown-context',
    'format.modifier-extension', 'format.invalid-extension-definition'];
  for (const [code, entry] of declared) {
    const expected = definitionCodes.includes(code) ? ['unprocessable', undefined]
      : code === 'format.not-a-resource' || code === 'format.unknown-type' ? ['invalid', undefined] : ['invalid', 'structure'];
    assert.deepEqual([entry.category, entry.issueType], expected, code);
  }
  const error = formatErrors['format.choice-empty']({ detail: 'Observation.value: The choice object of value is empty' }, { expression: 'Observation.value' });
  assert.equal(error.issues[0]?.type, 'structure');
  assert.equal(error.message, 'Observation.value: The choice object of value is empty');
});
