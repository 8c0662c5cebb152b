/** The one FHIRPath syntax tree: text -> Expression, table-driven, with what its readers rely on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, typeNameOf, type Expression } from '../../src/fhirpath/index.js';

const focus: Expression = { kind: 'focus' };
const member = (name: string, base: Expression = focus): Expression => ({ kind: 'member', base, name });
const string = (value: string): Expression => ({ kind: 'literal', type: 'string', value });

const cases: [string, Expression][] = [
  ['name', member('name')],
  ['Patient.name.given', member('given', member('name', member('Patient')))],
  ['`a b`.c', member('c', member('a b'))],
  ["name.where(use = 'official')", {
    kind: 'call', base: member('name'), name: 'where',
    args: [{ kind: 'binary', operator: '=', left: member('use'), right: string('official'), position: { line: 1, column: 16 } }],
  }],
  ["extension('u\\'x')", { kind: 'call', base: focus, name: 'extension', args: [string("u'x")] }],
  ['value as Quantity', { kind: 'type-operator', operator: 'as', operand: member('value'), typeName: 'Quantity' }],
  ['value.ofType(FHIR.Quantity)', { kind: 'call', base: member('value'), name: 'ofType', args: [member('Quantity', member('FHIR'))] }],
  ['name[0]', { kind: 'index', base: member('name'), index: { kind: 'literal', type: 'integer', value: '0' } }],
  ['-1.5', { kind: 'unary', operator: '-', operand: { kind: 'literal', type: 'decimal', value: '1.5' } }],
  ['%resource', { kind: 'variable', name: 'resource' }],
  ['%`vs-x`', { kind: 'variable', name: 'vs-x' }],
  ['{}', { kind: 'empty' }],
  ['@2020-01-02', { kind: 'literal', type: 'date', value: '2020-01-02' }],
  ['$this', focus],
  ['$index', { kind: 'unsupported', what: '$index' }],
];

test('text becomes the typed tree', () => {
  for (const [text, expected] of cases) assert.deepEqual(parseExpression(text), expected, text);
});

test('binary operators keep where they are written and whether they were grouped', () => {
  const chain = parseExpression('a or (b or c) or d');
  assert.equal(chain.kind, 'binary');
  if (chain.kind !== 'binary' || chain.left.kind !== 'binary') return assert.fail('not a chain');
  assert.deepEqual(chain.position, { line: 1, column: 15 });
  assert.equal(chain.parenthesized, undefined);
  assert.deepEqual(chain.left.position, { line: 1, column: 3 });
  const grouped = chain.left.right;
  assert.equal(grouped.kind === 'binary' && grouped.parenthesized, true);
  assert.equal(grouped.kind === 'binary' && grouped.position?.column, 9);
  const second = parseExpression('a\n  implies b');
  assert.deepEqual(second.kind === 'binary' && second.position, { line: 2, column: 3 });
});

test('a type argument spells its name', () => {
  assert.equal(typeNameOf(parseExpression('Patient')), 'Patient');
  assert.equal(typeNameOf(parseExpression('FHIR.Quantity')), 'FHIR.Quantity');
  assert.equal(typeNameOf(parseExpression('a.b.c')), undefined);
});
