/**
 * The registry of search parameter types (src/search/parameters/parameter-types.ts) without a
 * database: every FHIR parameter type has a module under its own code, what each can do (search by
 * value, sort, index, _filter), that each index and sort key reads a key function the registry
 * installs, and the search error catalogue's codes and categories.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchErrors } from '../../src/search/index.js';
import { SEARCH_FUNCTIONS_DDL } from '../../src/search/parameters/key-functions.js';
import { parameterTypeList, parameterTypeOf } from '../../src/search/parameters/parameter-types.js';

const FHIR_TYPES = ['number', 'date', 'string', 'token', 'reference', 'composite', 'quantity', 'uri', 'special'];

/** The names of the functions the DDL creates. */
const installed = SEARCH_FUNCTIONS_DDL.map((ddl) => /FUNCTION (\w+)\(/.exec(ddl)?.[1]);

describe('the parameter type registry', () => {
  it('has one module per FHIR search parameter type, under its own code', () => {
    assert.deepEqual(parameterTypeList.map((type) => type.code).sort(), [...FHIR_TYPES].sort());
    for (const code of FHIR_TYPES) assert.equal(parameterTypeOf(code)?.code, code);
  });

  it('knows no other type, not even a name every object has', () => {
    for (const code of ['toString', '__proto__', 'constructor', 'Token', '']) assert.equal(parameterTypeOf(code), undefined);
  });

  it('says what each type can do', () => {
    const abilities = Object.fromEntries(parameterTypeList.map((type) => [type.code, [
      type.valueCondition ? 'value' : '', type.filterCondition ? 'filter' : '', type.sortKey ? 'sort' : '',
      type.index ? `index:${type.index.method}` : '', type.filterTest ? '_filter' : '',
    ].filter(Boolean).join(' ')]));
    assert.deepEqual(abilities, {
      string: 'value sort index:gin _filter',
      token: 'value sort index:gin',
      reference: 'value sort index:gin',
      number: 'value sort _filter',
      quantity: 'value sort _filter',
      date: 'value sort index:gist _filter',
      uri: 'value sort index:gin _filter',
      composite: 'filter',
      special: '',
    });
  });

  it('indexes and sorts by key functions that are installed', () => {
    for (const type of parameterTypeList) {
      if (type.index) assert.ok(installed.includes(type.index.fn), `${type.code}: ${type.index.fn} is not installed`);
      const key = type.sortKey?.('resource', [{ path: '$."x"' } as never], false).text;
      for (const fn of key?.match(/flint_\w+/g) ?? []) assert.ok(installed.includes(fn), `${type.code}: ${fn} is not installed`);
    }
  });

  it('installs each key function once', () => {
    assert.equal(new Set(installed).size, installed.length, installed.join(', '));
    assert.ok(installed.every(Boolean));
  });
});

describe('the search error catalogue', () => {
  it('raises each code with its category and message', () => {
    const unknown = searchErrors['search.unknown-parameter']({ detail: 'Unknown search parameter "x" for Patient' }, { expression: 'x' });
    assert.deepEqual([unknown.category, unknown.code, unknown.message, unknown.issues[0]?.type], ['invalid', 'search.unknown-parameter', 'Unknown search parameter "x" for Patient', 'invalid']);
    const costly = searchErrors['search.too-many-terms']({ terms: 5, max: 4 });
    assert.deepEqual([costly.category, costly.issues[0]?.type], ['too-costly', 'too-costly']);
    assert.equal(costly.message, 'The search has 5 terms (values, _filter tests, includes and sort keys); at most 4 are allowed (FLINT_SEARCH_MAX_TERMS)');
  });

  it('declares every code search raises', () => {
    assert.deepEqual(Object.keys(searchErrors).sort(), [
      'search.bad-chain', 'search.bad-composite', 'search.bad-count', 'search.bad-cursor', 'search.bad-date', 'search.bad-filter',
      'search.bad-has', 'search.bad-include', 'search.bad-missing', 'search.bad-modifier', 'search.bad-number', 'search.bad-sort',
      'search.bad-summary', 'search.bad-token', 'search.bad-total', 'search.chain-too-long', 'search.no-criteria', 'search.not-indexable',
      'search.too-many-terms', 'search.unknown-parameter', 'search.unknown-query', 'search.unsupported-parameter',
    ]);
  });
});
