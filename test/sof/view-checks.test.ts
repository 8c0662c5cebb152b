/**
 * What keeps a ViewDefinition from running: each case is a view and the stable code and location
 * of the 422 it gets. The check is the compiler's, shared by both runners.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FhirError } from '../../src/core/index.js';
import { compileView, parseView, type ViewSource } from '../../src/sof/index.js';
import { coreViewSource } from './core-view-source.js';

let source: ViewSource;
before(async () => { ({ source } = await coreViewSource()); });

const patient = (select: unknown[], extra: Record<string, unknown> = {}) => ({ resource: 'Patient', select, ...extra });
const column = (name: string, path: string, more: Record<string, unknown> = {}) => ({ column: [{ name, path, ...more }] });

const cases: { title: string; view: unknown; code: string; at: string }[] = [
  { title: 'an empty view', view: {}, code: 'sof.invalid-view', at: 'ViewDefinition.resource' },
  { title: 'no select', view: { resource: 'Patient' }, code: 'sof.invalid-view', at: 'ViewDefinition.select' },
  { title: 'another resourceType', view: { resourceType: 'Patient', resource: 'Patient', select: [column('a', 'id')] }, code: 'sof.invalid-view', at: 'ViewDefinition.resourceType' },
  { title: 'an unknown resource type', view: { resource: 'Unicorn', select: [column('a', 'id')] }, code: 'sof.unknown-resource', at: 'ViewDefinition.resource' },
  { title: 'a name that is no SQL name', view: patient([column('a', 'id')], { name: 'my view' }), code: 'sof.invalid-name', at: 'ViewDefinition.name' },
  { title: 'a column name that is no SQL name', view: patient([column('_a', 'id')]), code: 'sof.invalid-name', at: 'ViewDefinition.select[0].column[0].name' },
  { title: 'forEach that is not a string', view: patient([{ forEach: 1, column: [{ name: 'a', path: 'id' }] }]), code: 'sof.invalid-view', at: 'ViewDefinition.select[0].forEach' },
  { title: 'forEach and forEachOrNull together', view: patient([{ forEach: 'name', forEachOrNull: 'name', column: [{ name: 'a', path: 'family' }] }]), code: 'sof.invalid-view', at: 'ViewDefinition.select[0]' },
  { title: 'collection that is not a boolean', view: patient([column('a', 'id', { collection: 'yes' })]), code: 'sof.invalid-view', at: 'ViewDefinition.select[0].column[0].collection' },
  { title: 'a duplicate column', view: patient([column('a', 'id'), column('a', 'gender')]), code: 'sof.duplicate-column', at: 'ViewDefinition.select[1].column[0].name' },
  {
    title: 'union branches with other names', code: 'sof.union-mismatch', at: 'ViewDefinition.select[0].unionAll[1]',
    view: patient([{ unionAll: [column('a', 'id'), column('b', 'id')] }]),
  },
  {
    title: 'union branches with other types', code: 'sof.union-mismatch', at: 'ViewDefinition.select[0].unionAll[1]',
    view: patient([{ unionAll: [column('a', 'id'), column('a', 'active')] }]),
  },
  { title: 'an undefined constant', view: patient([column('a', 'name.where(use = %nope).family')]), code: 'sof.unknown-constant', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'a constant without value', view: patient([column('a', 'id')], { constant: [{ name: 'c' }] }), code: 'sof.invalid-constant', at: 'ViewDefinition.constant[0]' },
  { title: 'a constant of the wrong form', view: patient([column('a', 'id')], { constant: [{ name: 'c', valueDate: 'yesterday' }] }), code: 'sof.invalid-constant', at: 'ViewDefinition.constant[0].valueDate' },
  { title: 'FHIRPath that does not parse', view: patient([column('a', 'name.(')]), code: 'sof.invalid-fhirpath', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'an element the type lacks', view: patient([column('a', 'name.familly')]), code: 'sof.unknown-element', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'an unknown function', view: patient([column('a', 'name.family.frobnicate()')]), code: 'sof.unknown-function', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'a function outside the subset', view: patient([column('a', 'name.family.upper()')]), code: 'sof.unknown-function', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'a function with too many arguments', view: patient([column('a', 'name.exists(1, 2)')]), code: 'sof.unknown-function', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'a where path that is not boolean', view: patient([column('a', 'id')], { where: [{ path: 'name.family' }] }), code: 'sof.type-mismatch', at: 'ViewDefinition.where[0].path' },
  { title: 'a declared type the path does not yield', view: patient([column('a', 'gender', { type: 'integer' })]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].type' },
  { title: 'an unknown declared type', view: patient([column('a', 'gender', { type: 'Unicorn' })]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].type' },
  { title: 'comparing a string with a number', view: patient([column('a', "gender = 1")]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].path' },
  { title: "'and' on strings", view: patient([column('a', 'gender and active')]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'getResourceKey() on a part of the resource', view: patient([{ forEach: 'name', column: [{ name: 'a', path: 'getResourceKey()' }] }]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'getReferenceKey() on what is no Reference', view: patient([column('a', 'name.getReferenceKey()')]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'getReferenceKey() of an unknown type', view: patient([column('a', 'link.other.getReferenceKey(Unicorn)')]), code: 'sof.type-mismatch', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'the union operator', view: patient([column('a', 'name.family | name.given', { collection: true })]), code: 'sof.unsupported', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'negating an element', view: patient([column('a', '-multipleBirth.ofType(integer)')]), code: 'sof.unsupported', at: 'ViewDefinition.select[0].column[0].path' },
  { title: 'the is operator', view: patient([column('a', 'deceased is boolean')]), code: 'sof.unsupported', at: 'ViewDefinition.select[0].column[0].path' },
  {
    title: 'comparing quantities', code: 'sof.unsupported', at: 'ViewDefinition.select[0].column[0].path',
    view: { resource: 'Observation', select: [column('a', 'value.ofType(Quantity) > value.ofType(Quantity)')] },
  },
  { title: 'a forEach path with an unknown element', view: patient([{ forEach: 'names', column: [{ name: 'a', path: 'family' }] }]), code: 'sof.unknown-element', at: 'ViewDefinition.select[0].forEach' },
];

describe('views that cannot run', () => {
  for (const { title, view, code, at } of cases) {
    it(`rejects ${title} (${code})`, () => {
      assert.throws(() => compileView(source, parseView(view)), (error: unknown) => {
        assert.ok(error instanceof FhirError, String(error));
        assert.equal(error.category, 'unprocessable');
        assert.equal(error.code, code);
        assert.deepEqual(error.issues[0].expression, [at]);
        return true;
      });
    });
  }
});

describe('views that run', () => {
  const good: [string, unknown][] = [
    ['the specification example', patient([column('id', 'getResourceKey()'), { forEach: "name.where(use = 'official').first()", column: [{ name: 'family', path: 'family' }, { name: 'given', path: "given.join(' ')" }] }])],
    ['a repeat with paths that only apply further down', { resource: 'QuestionnaireResponse', select: [{ repeat: ['item', 'answer.item'], column: [{ name: 'link', path: 'linkId' }] }] }],
    ['a choice element by its typed name', { resource: 'Observation', select: [column('v', 'valueQuantity.value')] }],
    ['a Period boundary', { resource: 'Encounter', select: [column('start', 'period.lowBoundary()', { type: 'dateTime' })] }],
    ['the type filter of the root', patient([column('family', 'Patient.name.family.first()')])],
  ];
  for (const [title, view] of good) {
    it(`compiles ${title}`, () => {
      const compiled = compileView(source, parseView(view));
      assert.ok(compiled.columns.length > 0);
    });
  }

  it('reports the column types it infers and declares', () => {
    const compiled = compileView(source, parseView({
      resource: 'Observation',
      select: [{ column: [
        { name: 'id', path: 'getResourceKey()' },
        { name: 'value', path: 'value.ofType(Quantity).value' },
        { name: 'count', path: 'code.coding.count()' },
        { name: 'active', path: "status = 'final'" },
        { name: 'codes', path: 'code.coding.code', collection: true },
        { name: 'any', path: 'value' },
        { name: 'issued', path: 'issued', type: 'dateTime' },
      ] }],
    }));
    assert.deepEqual(compiled.columns.map((c) => [c.name, c.sqlType, c.fhirType ?? null]), [
      ['id', 'text', 'id'], ['value', 'numeric', 'decimal'], ['count', 'integer', 'integer'], ['active', 'boolean', 'boolean'],
      ['codes', 'jsonb', 'code'], ['any', 'jsonb', null], ['issued', 'text', 'dateTime'],
    ]);
  });
});
