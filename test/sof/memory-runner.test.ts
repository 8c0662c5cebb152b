/**
 * The in-memory runner's own parts: JSON keeping decimals as written, the boundary rules, view
 * constants written into expressions, reference keys, and its run-time errors.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FhirError } from '../../src/core/index.js';
import { dateBoundary, dateTimeBoundary, decimalBoundary, timeBoundary } from '../../src/sof/memory/boundaries.js';
import { substituteConstants, temporalLiteral } from '../../src/sof/memory/memory-constants.js';
import {
  compileView, decimalSource, MemoryView, parseJsonWithDecimals, parseView, referenceKey,
  stringifyWithDecimals, type ViewSource,
} from '../../src/sof/index.js';
import { coreViewSource } from './core-view-source.js';

describe('JSON with decimals as written', () => {
  it('parses like JSON.parse and remembers the text of decimals whose number loses it', () => {
    const text = '{"a":1.0,"b":[1.50,2,-0.10],"c":{"d":3e2},"e":"1.0","f":true,"g":null,"h":12}';
    const value = parseJsonWithDecimals(text) as Record<string, any>;
    assert.deepEqual(value, JSON.parse(text));
    assert.equal(decimalSource(value, 'a'), '1.0');
    assert.equal(decimalSource(value.b, 0), '1.50');
    assert.equal(decimalSource(value.b, 1), undefined);
    assert.equal(decimalSource(value.b, 2), '-0.10');
    assert.equal(decimalSource(value.c, 'd'), '3e2');
    assert.equal(decimalSource(value, 'h'), undefined);
    assert.equal(stringifyWithDecimals(value), text);
  });

  it('keeps a __proto__ key as data', () => {
    const value = parseJsonWithDecimals('{"__proto__":{"x":1}}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  for (const bad of ['{', '{"a":}', '[1,]', '{"a":1}x', "{'a':1}", '01']) {
    it(`rejects ${bad}`, () => assert.throws(() => parseJsonWithDecimals(bad), SyntaxError));
  }
});

describe('boundaries', () => {
  const decimals: [string, number, number][] = [['1.0', 0.95, 1.05], ['1', 0.5, 1.5], ['1.587', 1.5865, 1.5875], ['-1.0', -1.05, -0.95], ['0', -0.5, 0.5]];
  for (const [text, low, high] of decimals) {
    it(`decimal ${text} -> ${low} .. ${high}`, () => {
      assert.equal(decimalBoundary(text, true), low);
      assert.equal(decimalBoundary(text, false), high);
    });
  }
  const temporal: [(text: string, low: boolean) => string | undefined, string, string, string][] = [
    [dateBoundary, '1970-06', '1970-06-01', '1970-06-30'],
    [dateBoundary, '2024-02', '2024-02-01', '2024-02-29'],
    [dateBoundary, '2023', '2023-01-01', '2023-12-31'],
    [dateBoundary, '2023-05-06', '2023-05-06', '2023-05-06'],
    [dateTimeBoundary, '2010-10-10', '2010-10-10T00:00:00.000+14:00', '2010-10-10T23:59:59.999-12:00'],
    [dateTimeBoundary, '2010-10-10T10:30', '2010-10-10T10:30:00.000+14:00', '2010-10-10T10:30:59.999-12:00'],
    [dateTimeBoundary, '2015-02-07T13:28:17.2+02:00', '2015-02-07T13:28:17.200+02:00', '2015-02-07T13:28:17.299+02:00'],
    [timeBoundary, '12:34', '12:34:00.000', '12:34:59.999'],
    [timeBoundary, '12:34:00', '12:34:00.000', '12:34:00.999'],
  ];
  for (const [fn, text, low, high] of temporal) {
    it(`${fn.name} ${text} -> ${low} .. ${high}`, () => {
      assert.equal(fn(text, true), low);
      assert.equal(fn(text, false), high);
    });
  }
});

describe('constants in expressions', () => {
  const literals = new Map([['bd', '@1978-03-12'], ['t', '@T18:12:00']]);
  const cases: [string, string][] = [
    ['birthDate = %bd', 'birthDate = @1978-03-12'],
    ["%bd < @2000-01-01 and '%bd' = %`t`", "@1978-03-12 < @2000-01-01 and '%bd' = @T18:12:00"],
    ['x // %bd\n= %bd', 'x // %bd\n= @1978-03-12'],
    ['%bdx = %other', '%bdx = %other'],
  ];
  for (const [input, output] of cases) it(`${JSON.stringify(input)}`, () => assert.equal(substituteConstants(input, literals), output));

  it('writes temporal constants as FHIRPath literals and leaves the others to variables', () => {
    const constant = (type: string, value: string | number) => ({ location: '', name: 'c', type, value });
    assert.equal(temporalLiteral(constant('date', '1978-03-12')), '@1978-03-12');
    assert.equal(temporalLiteral(constant('dateTime', '2016-11-12')), '@2016-11-12T');
    assert.equal(temporalLiteral(constant('dateTime', '2016-11-12T10:00:00Z')), '@2016-11-12T10:00:00Z');
    assert.equal(temporalLiteral(constant('time', '18:12:00')), '@T18:12:00');
    assert.equal(temporalLiteral(constant('string', '2016')), undefined);
    assert.equal(temporalLiteral(constant('integer', 1)), undefined);
  });
});

describe('reference keys', () => {
  const cases: [unknown, string | undefined, string | undefined][] = [
    ['Patient/123', undefined, '123'],
    ['Patient/123', 'Patient', '123'],
    ['Patient/123', 'Group', undefined],
    ['Patient/a.b-1/_history/2', 'Patient', 'a.b-1'],
    ['http://other.org/fhir/Patient/123', undefined, undefined],
    ['#contained', undefined, undefined],
    ['urn:uuid:4f3e', undefined, undefined],
    ['patient/123', undefined, undefined],
    [42, undefined, undefined],
  ];
  for (const [reference, type, key] of cases) {
    it(`${JSON.stringify(reference)} ${type ?? ''} -> ${key}`, () => assert.equal(referenceKey(reference, type), key));
  }
});

describe('running', () => {
  let source: ViewSource;
  before(async () => { ({ source } = await coreViewSource()); });
  const run = (view: unknown, resources: unknown[]) => [...new MemoryView(compileView(source, parseView(view))).rows(resources)];

  it('fails with sof.multiple-values when a column meets several values', () => {
    const view = { resource: 'Patient', select: [{ column: [{ name: 'family', path: 'name.family' }] }] };
    assert.deepEqual(run(view, [{ resourceType: 'Patient', name: [{ family: 'a' }] }]), [{ family: 'a' }]);
    assert.throws(() => run(view, [{ resourceType: 'Patient', name: [{ family: 'a' }, { family: 'b' }] }]),
      (error: unknown) => error instanceof FhirError && error.code === 'sof.multiple-values');
  });

  it('skips resources of other types and stops at the limit', () => {
    const view = { resource: 'Patient', select: [{ forEach: 'name', column: [{ name: 'family', path: 'family' }] }] };
    const resources = [{ resourceType: 'Observation' }, { resourceType: 'Patient', name: [{ family: 'a' }, { family: 'b' }] }, { resourceType: 'Patient', name: [{ family: 'c' }] }];
    const memory = new MemoryView(compileView(source, parseView(view)));
    assert.deepEqual([...memory.rows(resources, 2)], [{ family: 'a' }, { family: 'b' }]);
    assert.deepEqual([...memory.rows(resources)].length, 3);
  });

  it('uses the source text of decimals for boundaries', () => {
    const view = { resource: 'Observation', select: [{ column: [{ name: 'low', path: 'value.ofType(Quantity).value.lowBoundary()' }] }] };
    const written = parseJsonWithDecimals('{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1.0}}');
    assert.deepEqual(run(view, [written]), [{ low: 0.95 }]);
    assert.deepEqual(run(view, [JSON.parse(JSON.stringify(written))]), [{ low: 0.5 }]);
  });
});
