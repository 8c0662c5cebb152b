/**
 * parseFhirJson and stringifyFhirJson: decimals keep the text they were written with
 * (http://hl7.org/fhir/R4/datatypes.html#decimal: 0.010 is not 0.01), values stay JS numbers, and
 * everything else is exactly what JSON.parse and JSON.stringify do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneFhirJson, numberTextsOf, parseFhirJson, stringifyFhirJson } from '../../src/core/index.js';

const roundTrip = (text: string): string => stringifyFhirJson(parseFhirJson(text));

describe('parseFhirJson and stringifyFhirJson', () => {
  const numbers = [
    '105.00', '1.0', '0.010', '12345678901234567890.123', '66.899999999999991', '-0.0', '-0', '0', '1e2', '1E-3',
    '1E+2', '-1.000000000000000000E+245', '1.000000000000000000E-245', '1E-22', '1000000000000000000',
    '12345678901234567890', '0.1', '-7', '3.14', '2.50',
  ];
  for (const number of numbers) {
    it(`keeps ${number} as written, in an object and in an array`, () => {
      const text = `{"value":${number},"list":[1,${number},{"deep":[${number}]}]}`;
      assert.equal(roundTrip(text), text);
      const parsed = parseFhirJson(text) as { value: number; list: unknown[] };
      assert.equal(parsed.value, Number(number));
      assert.equal(parsed.list[1], Number(number));
    });
  }

  it('records texts only for numbers a JS number would write differently', () => {
    const parsed = parseFhirJson('{"a":1,"b":1.5,"c":1.50,"d":[2.0,3]}') as { d: unknown[] };
    assert.deepEqual({ ...numberTextsOf(parsed) }, { c: '1.50' });
    assert.deepEqual({ ...numberTextsOf(parsed.d) }, { 0: '2.0' });
    assert.equal(numberTextsOf(parseFhirJson('{"a":1,"b":[2.5]}') as object), undefined);
  });

  it('is not misled by number-like text inside strings', () => {
    const text = '{"div":"value: 1.0 g, [2.50","time":"10:30:00.000Z","n":[1,2.5],"m":{"x":-0.0}}';
    const parsed = parseFhirJson(text) as { m: object; n: object };
    assert.equal(numberTextsOf(parsed), undefined);
    assert.equal(numberTextsOf(parsed.n), undefined);
    assert.deepEqual({ ...numberTextsOf(parsed.m) }, { x: '-0.0' });
    assert.equal(roundTrip(text), text);
    assert.equal(numberTextsOf(parseFhirJson('{"div":"a: 1.0"}') as object), undefined);
  });

  it('writes a changed number as the new value, an unchanged one as written', () => {
    const parsed = parseFhirJson('{"a":105.00,"b":1.0}') as { a: number; b: number };
    parsed.a = 106;
    assert.equal(stringifyFhirJson(parsed), '{"a":106,"b":1.0}');
  });

  it('keeps the texts through object spread and cloneFhirJson, not through a key that became a string', () => {
    const parsed = parseFhirJson('{"q":{"value":1.0,"unit":"g"}}') as { q: Record<string, unknown> };
    assert.equal(stringifyFhirJson({ ...parsed, id: 'x' }), '{"q":{"value":1.0,"unit":"g"},"id":"x"}');
    const copy = cloneFhirJson(parsed);
    assert.notEqual(copy.q, parsed.q);
    assert.equal(stringifyFhirJson(copy), '{"q":{"value":1.0,"unit":"g"}}');
    copy.q.value = '1.0';
    assert.equal(stringifyFhirJson(copy), '{"q":{"value":"1.0","unit":"g"}}');
  });

  it('reads keys and strings with escapes and unicode, so texts land on the right member', () => {
    const text = '{"a\\"b":1.0,"\\u00e9t\\u00e9":[2.50],"s":"x\\\\","t":"\\"1.0\\" ü 😀","n":0.10}';
    const parsed = parseFhirJson(text) as Record<string, unknown>;
    assert.equal(parsed['a"b'], 1);
    assert.equal(parsed.s, 'x\\');
    assert.equal(roundTrip(text), '{"a\\"b":1.0,"été":[2.50],"s":"x\\\\","t":"\\"1.0\\" ü 😀","n":0.10}');
  });

  it('handles deep nesting and whitespace, and indents as JSON.stringify does', () => {
    const depth = 50; // 100 levels of objects and arrays: the most parseFhirJson accepts
    const text = `${'{"a":['.repeat(depth)}1.0${']}'.repeat(depth)}`;
    assert.equal(roundTrip(text), text);
    const spaced = ' { "a" : [ 1.0 , { "b" : 2.00 } , [ ] , { } , "x" ] , "c" : null , "d" : true } ';
    const written = stringifyFhirJson(parseFhirJson(spaced), 2);
    assert.equal(written, JSON.stringify(JSON.parse(spaced), null, 2).replace('1,', '1.0,').replace('"b": 2', '"b": 2.00'));
  });

  it('writes what JSON.stringify writes for values without texts, and for undefined, toJSON and non-finite numbers', () => {
    const parsed = parseFhirJson('{"a":1.0}') as Record<string, unknown>;
    Object.assign(parsed, { u: undefined, f: () => 1, n: Number.NaN, d: new Date(0), list: [undefined, Infinity] });
    assert.equal(stringifyFhirJson(parsed), '{"a":1.0,"n":null,"d":"1970-01-01T00:00:00.000Z","list":[null,null]}');
    const plain = { a: [1, 'x', null, { b: false }], c: 1.5 };
    assert.equal(stringifyFhirJson(plain), JSON.stringify(plain));
    assert.equal(stringifyFhirJson(plain, 2), JSON.stringify(plain, null, 2));
  });

  it('throws what JSON.parse throws for malformed text', () => {
    for (const text of ['{', '{"a":1.0,}', '[1.0', '{"a":01}', 'nul', '"\\x"']) {
      assert.throws(() => parseFhirJson(text), SyntaxError, text);
    }
  });

  it('parses top-level scalars as JSON.parse does', () => {
    assert.equal(parseFhirJson('1.0'), 1);
    assert.equal(parseFhirJson('"a"'), 'a');
    assert.equal(parseFhirJson('null'), null);
  });
});
