/** Failures become FhirErrors with stable codes and the expression; the syntax tree is exposed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isFhirError, listErrorCodes } from '../../src/core/index.js';
import { compileFhirPath, evaluateFhirPath, parseExpression } from '../../src/fhirpath/index.js';
import { builtinFunctions } from '../../src/fhirpath/builtin-functions.js';
import { isLibraryNode, isLibraryValue, library, r4 } from '../../src/fhirpath/fhirpath-library.js';

const patient = { resourceType: 'Patient', name: [{ given: ['a'] }, { given: ['b'] }] };

test('each kind of failure has its code, category and expression', () => {
  const cases: [string, string][] = [
    ['name.given.', 'fhirpath.syntax'],
    ['2 + 2 /* not finished', 'fhirpath.syntax'],
    ["name.where(use = 'x'", 'fhirpath.syntax'],
    ['name.frobnicate()', 'fhirpath.unknown-function'],
    ['name.where()', 'fhirpath.wrong-arity'],
    ['name.first(1)', 'fhirpath.wrong-arity'],
    ['%undefinedVariable', 'fhirpath.unknown-variable'],
    ['name.single()', 'fhirpath.evaluation'],
    ["'a' - 'b'", 'fhirpath.evaluation'],
  ];
  for (const [expression, code] of cases) {
    assert.throws(() => evaluateFhirPath(patient, expression), (error: unknown) => {
      assert.ok(isFhirError(error), expression);
      assert.equal(error.code, code, expression);
      assert.equal(error.category, 'unprocessable');
      assert.deepEqual(error.issues[0].expression, [expression]);
      return true;
    });
  }
});

test('compile-time failures surface when compiling, before any input', () => {
  assert.throws(() => compileFhirPath('name.('), { code: 'fhirpath.syntax' });
  assert.throws(() => compileFhirPath('unknownFn()'), { code: 'fhirpath.unknown-function' });
  assert.throws(() => compileFhirPath('name.substring()'), { code: 'fhirpath.wrong-arity' });
});

test('parseExpression gives the syntax tree; syntax errors keep their code', () => {
  const tree = parseExpression('%resource.a');
  assert.deepEqual(tree, { kind: 'member', base: { kind: 'variable', name: 'resource' }, name: 'a' });
  assert.throws(() => parseExpression('a.'), { code: 'fhirpath.syntax' });
  assert.throws(() => parseExpression(`${'('.repeat(400)}1${')'.repeat(400)}`), { code: 'fhirpath.too-deep' });
});

test('the builtin function table matches the library invocation table', () => {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('fhirpath/src/fhirpath.js'), 'utf8');
  const block = source.slice(source.indexOf('engine.invocationTable = {'), source.indexOf('engine.InvocationExpression'));
  const library = new Map<string, { min: number; max: number }>();
  const entries = [...block.matchAll(/^\s+"?([^"\s:]+)"?:\s*\{fn:/gm)];
  entries.forEach((entry, i) => {
    const text = block.slice(entry.index, entries[i + 1]?.index ?? block.length);
    const arity = /arity:\s*\{([^}]*)\}/.exec(text)?.[1] ?? '0: []';
    const counts = [...arity.matchAll(/(\d+):/g)].map((m) => Number(m[1]));
    const variadic = /variadicArity:\s*\{min:\s*(\d+)/.exec(text);
    const min = Math.min(...counts, ...(variadic ? [Number(variadic[1])] : []));
    library.set(entry[1], { min, max: variadic ? Infinity : Math.max(...counts) });
  });
  // Operators share the table; they are not callable as functions.
  for (const name of library.keys()) {
    if (!/^[a-z]\w*$/i.test(name) || /Op$/.test(name) || ['mod', 'div', 'or', 'and', 'xor', 'implies'].includes(name)) library.delete(name);
  }
  assert.deepEqual(new Map([...builtinFunctions].sort()), new Map([...library].sort()));
});

test('the adapter recognises library nodes and library values', () => {
  const raw = library.evaluate(patient, "name | @2014 | 1.5 | 'x'", {}, r4, { resolveInternalTypes: false }) as unknown[];
  assert.deepEqual(raw.map(isLibraryNode), [true, true, false, false, false]);
  assert.deepEqual(raw.map(isLibraryValue), [false, false, true, true, false]);
});

test('strict mode rejects what the model rules out, and only that', () => {
  const rejected: [string, string, boolean?][] = [
    ['name.given1', 'Patient'],
    ['Encounter.status', 'Patient'],
    ['Observation.valueQuantity.unit', 'Observation'],
    ['(Observation.value as Period).unit', 'Observation'],
    ['Observation.value.ofType(Period).unit', 'Observation'],
    ["name.where(family1 = 'x')", 'Patient'],
    ['contact.name.given2', 'Patient'],
    ['children().first()', 'Patient', true],
    ["iif('text', 1, 2)", 'Patient'],
  ];
  for (const [expression, rootType, checkOrderedFunctions] of rejected) {
    assert.throws(() => compileFhirPath(expression, { strict: { rootType, checkOrderedFunctions } }), { code: 'fhirpath.semantic' }, expression);
  }
  const accepted: [string, string][] = [
    ["Patient.name.where(use = 'official').given", 'Patient'],
    ['Observation.value.ofType(Quantity).unit', 'Observation'],
    ['(Observation.value as Quantity).value', 'Observation'],
    ["Observation.component.where(code.coding.code = 'x').value.ofType(CodeableConcept).coding", 'Observation'],
    ['Questionnaire.item.item.linkId', 'Questionnaire'],
    ["iif(Patient.name.exists(), 'named', 'unnamed')", 'Patient'],
    ["Patient.extension('http://example.org').value.ofType(string)", 'Patient'],
    ['Patient.name.combine(telecom).count()', 'Patient'],
    ['contained.ofType(Practitioner).name', 'Patient'],
    ['children().first()', 'Patient'],
    ['Resource.id', 'Patient'],
  ];
  for (const [expression, rootType] of accepted) {
    assert.doesNotThrow(() => compileFhirPath(expression, { strict: { rootType } }), expression);
  }
  assert.deepEqual(evaluateFhirPath(patient, 'name.given', { strict: { rootType: 'Patient' } }), ['a', 'b']);
});

test('.div and .mod after a dot are element names, elsewhere operators', () => {
  const narrative = { resourceType: 'Patient', text: { status: 'generated', div: '<div>x</div>' } };
  assert.deepEqual(evaluateFhirPath(narrative, 'Patient.text.div'), ['<div>x</div>']);
  assert.deepEqual(evaluateFhirPath(narrative, "'a.div' + (7 div 2).toString() + (7 mod 2).toString()"), ['a.div31']);
  assert.deepEqual(parseExpression('text.div'), { kind: 'member', base: { kind: 'member', base: { kind: 'focus' }, name: 'text' }, name: 'div' });
});

test('the catalogue declares every FHIRPath code with its category', () => {
  const declared = listErrorCodes().filter((entry) => entry.module === 'fhirpath').map((entry) => [entry.code, entry.category, entry.issueType]);
  assert.deepEqual(declared, [
    ['fhirpath.evaluation', 'unprocessable', undefined],
    ['fhirpath.function-definition', 'fault', undefined],
    ['fhirpath.semantic', 'unprocessable', undefined],
    ['fhirpath.syntax', 'unprocessable', undefined],
    ['fhirpath.too-deep', 'unprocessable', undefined],
    ['fhirpath.unknown-function', 'unprocessable', undefined],
    ['fhirpath.unknown-profile', 'unprocessable', undefined],
    ['fhirpath.unknown-variable', 'unprocessable', undefined],
    ['fhirpath.wrong-arity', 'unprocessable', undefined],
  ]);
  assert.throws(() => compileFhirPath('name.substring()'), { message: "FHIRPath function 'substring' does not take 0 arguments" });
  assert.throws(() => evaluateFhirPath({}, '%nothing'), { message: 'unknown FHIRPath variable %nothing' });
  assert.throws(() => evaluateFhirPath({ resourceType: 'Patient' }, "conformsTo('http://example.org/x')"),
    { code: 'fhirpath.unknown-profile', message: "conformsTo(): profile 'http://example.org/x' is not known here" });
  assert.throws(() => compileFhirPath('name.given1', { strict: { rootType: 'Patient' } }), { code: 'fhirpath.semantic', message: /^FHIRPath strict check: / });
});
