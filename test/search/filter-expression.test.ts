/**
 * The _filter grammar (http://hl7.org/fhir/R4/search_filter.html): the spec's examples, precedence,
 * string escapes, value kinds, and malformed filters rejected with search.bad-filter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFhirError } from '../../src/core/index.js';
import {
  parseFilter, type FilterExpression, type FilterOperator, type FilterPath, type FilterValueKind,
} from '../../src/search/special/filter-expression.js';

function pathOf(dotted: string): FilterPath {
  const [parameter, ...rest] = dotted.split('.');
  return rest.length === 0 ? { parameter } : { parameter, chain: pathOf(rest.join('.')) };
}

function test(path: string, operator: FilterOperator, value: string, valueKind: FilterValueKind): FilterExpression {
  return { kind: 'test', path: pathOf(path), operator, value, valueKind };
}

const and = (left: FilterExpression, right: FilterExpression): FilterExpression => ({ kind: 'and', left, right });
const or = (left: FilterExpression, right: FilterExpression): FilterExpression => ({ kind: 'or', left, right });
const not = (expression: FilterExpression): FilterExpression => ({ kind: 'not', expression });

describe('_filter: the examples of search_filter.html', () => {
  const cases: [string, FilterExpression][] = [
    ['name eq "peter"', test('name', 'eq', 'peter', 'string')],
    ['name co "pet"', test('name', 'co', 'pet', 'string')],
    ['given eq "peter" and birthdate ge 2014-10-10',
      and(test('given', 'eq', 'peter', 'string'), test('birthdate', 'ge', '2014-10-10', 'date'))],
    ['code sw http://loinc.org|123', test('code', 'sw', 'http://loinc.org|123', 'token')],
    ['code eq http://loinc.org|1234-5', test('code', 'eq', 'http://loinc.org|1234-5', 'token')],
    ['subject.name co "smi"', test('subject.name', 'co', 'smi', 'string')],
    ['birthdate gt 2014-10-10T10:00:00Z', test('birthdate', 'gt', '2014-10-10T10:00:00Z', 'date')],
    ['value-quantity gt 5.4', test('value-quantity', 'gt', '5.4', 'number')],
    ['(status eq active or status eq completed) and not (code eq 123)',
      and(or(test('status', 'eq', 'active', 'token'), test('status', 'eq', 'completed', 'token')),
        not(test('code', 'eq', '123', 'number')))],
    ['related[type eq has-component].target re Observation/4', {
      kind: 'nested', path: { parameter: 'related' },
      filter: and(test('type', 'eq', 'has-component', 'token'), test('target', 're', 'Observation/4', 'token')),
    }],
    ['related[type eq "has-component"].target pr true', {
      kind: 'nested', path: { parameter: 'related' },
      filter: and(test('type', 'eq', 'has-component', 'string'), test('target', 'pr', 'true', 'token')),
    }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.deepEqual(parseFilter(text), expected));
  }
});

describe('_filter: structure', () => {
  it('binds and tighter than or, on either side', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => test(name, 'eq', '1', 'number'));
    assert.deepEqual(parseFilter('a eq 1 or b eq 1 and c eq 1'), or(a, and(b, c)));
    assert.deepEqual(parseFilter('a eq 1 and b eq 1 or c eq 1'), or(and(a, b), c));
    assert.deepEqual(parseFilter('a eq 1 and (b eq 1 or c eq 1)'), and(a, or(b, c)));
  });

  it('groups left to right', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => test(name, 'eq', 'x', 'token'));
    assert.deepEqual(parseFilter('a eq x or b eq x or c eq x'), or(or(a, b), c));
  });

  it('reads keywords and operators in any case, and free spacing around parentheses', () => {
    assert.deepEqual(parseFilter('  NOT(name EQ x)  Or  ( given Sw "p" )  '),
      or(not(test('name', 'eq', 'x', 'token')), test('given', 'sw', 'p', 'string')));
  });

  it('keeps a parameter whose name starts with a keyword', () => {
    assert.deepEqual(parseFilter('note co x and order eq 1 or android eq y'),
      or(and(test('note', 'co', 'x', 'token'), test('order', 'eq', '1', 'number')), test('android', 'eq', 'y', 'token')));
    assert.deepEqual(parseFilter('not eq 1'), test('not', 'eq', '1', 'number'));
  });

  it('chains through several parameters', () => {
    assert.deepEqual(parseFilter('subject.organization.name eq x'), {
      kind: 'test', operator: 'eq', value: 'x', valueKind: 'token',
      path: { parameter: 'subject', chain: { parameter: 'organization', chain: { parameter: 'name' } } },
    });
  });

  it('accepts every operator of the spec', () => {
    const operators = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'ap', 'sa', 'eb', 'pr', 'po', 'ss', 'sb', 'in', 'ni', 're'] as const;
    for (const op of operators) assert.deepEqual(parseFilter(`x ${op} 1`), test('x', op, '1', 'number'));
  });
});

describe('_filter: values', () => {
  it('resolves string escapes', () => {
    const parsed = parseFilter(String.raw`name eq "say \"hi\" \\ back\/slash\n\u00e9"`);
    assert.equal((parsed as { value: string }).value, 'say "hi" \\ back/slash\né');
  });

  it('keeps spaces, parentheses and keywords inside a string', () => {
    assert.deepEqual(parseFilter('name eq "a) and (b" and x eq 1'),
      and(test('name', 'eq', 'a) and (b', 'string'), test('x', 'eq', '1', 'number')));
  });

  it('ends a token at a space, ")" or "]"', () => {
    assert.deepEqual(parseFilter('(a eq x)'), test('a', 'eq', 'x', 'token'));
  });

  it('tells numbers, dates, tokens and other unquoted values apart', () => {
    const kinds: [string, FilterValueKind][] = [
      ['5', 'number'], ['-5.25', 'number'], ['1e3', 'number'], ['2014', 'number'],
      ['2014-10', 'date'], ['2014-10-10T10:00', 'date'], ['2014-10-10T10:00:00.123+01:00', 'date'],
      ['active', 'token'], ['Patient/123', 'token'], ['urn:oid:1.2|x', 'token'],
      ['5.4|http://unitsofmeasure.org|mg', 'other'], ['1234-5', 'other'], ['2014-13-1', 'other'],
    ];
    for (const [value, kind] of kinds) {
      assert.equal((parseFilter(`x eq ${value}`) as { valueKind: string }).valueKind, kind, value);
    }
  });
});

describe('_filter: malformed filters', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown operator', 'name xx "peter"', /at offset 5: unknown operator "xx", expected one of eq, ne/],
    ['unclosed parenthesis', '(name eq x', /at offset 10: expected "\)" to close the "\(" at offset 0, found the end/],
    ['missing value', 'name eq', /at offset 7: expected a value, found the end of the filter/],
    ['missing value after a space', 'name eq ', /at offset 8: expected a value, found the end of the filter/],
    ['missing value before a parenthesis', '(name eq )', /at offset 9: expected a value, found "\)"/],
    ['missing operator', 'name', /at offset 4: expected a comparison operator, found the end/],
    ['operator that is not a word', 'name = "x"', /at offset 5: expected a comparison operator, found "="/],
    ['trailing garbage', 'name eq x y', /at offset 10: expected "and", "or" or the end of the filter, found "y"/],
    ['stray closing parenthesis', 'name eq x)', /at offset 9: expected "and", "or" or the end of the filter, found "\)"/],
    ['empty filter', '', /at offset 0: expected a filter, found the end/],
    ['missing right side of and', 'name eq x and ', /at offset 14: expected a filter, found the end/],
    ['not without parentheses', 'not name eq x', /at offset 4: unknown operator "name"/],
    ['unterminated string', 'name eq "pet', /at offset 8: unterminated string/],
    ['bad escape', String.raw`name eq "a\qb"`, /at offset 10: invalid escape "\\q"/],
    ['no space before the operator', 'name"x"', /at offset 4: expected a space after the parameter, found ""x""/],
    ['bad parameter name', '1name eq x', /at offset 0: expected a parameter name, found "1name"/],
    ['modifier in a parameter', 'name:exact eq x', /at offset 4: expected a space after the parameter, found ":exact"/],
    ['unclosed bracket', 'related[type eq x.target pr true', /at offset 25: expected "\]" to close the "\[" at offset 7/],
    ['bracket without a following parameter', 'related[type eq x] pr true', /at offset 18: expected "\." and a parameter after "\]"/],
    ['nesting beyond the limit', '('.repeat(500) + 'a eq 1' + ')'.repeat(500), /nested deeper than 100 levels/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      assert.throws(() => parseFilter(text), (error: unknown) => {
        assert.ok(isFhirError(error));
        assert.equal(error.code, 'search.bad-filter');
        assert.equal(error.category, 'invalid');
        assert.deepEqual(error.issues[0].expression, ['_filter']);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
