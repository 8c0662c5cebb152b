/**
 * The limits of every parsed JSON text (core json-limits.ts): nesting up to MAX_JSON_DEPTH, strings
 * without NUL characters or unpaired surrogates; and the same depth check for values built in code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError, MAX_JSON_DEPTH, parseFhirJson, rejectDeepJson } from '../../src/core/index.js';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof FhirError, String(error));
    return error.code;
  }
};

describe('parseFhirJson limits', () => {
  it('parses nesting up to the limit and refuses one level more', () => {
    assert.equal(codeOf(() => parseFhirJson(nested(MAX_JSON_DEPTH))), undefined);
    assert.equal(codeOf(() => parseFhirJson(nested(MAX_JSON_DEPTH + 1))), 'json.too-deep');
    assert.equal(codeOf(() => parseFhirJson(`{"a":${nested(100_000)}}`)), 'json.too-deep');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = `{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}","b":[1.50]}`;
    assert.equal(codeOf(() => parseFhirJson(text)), undefined);
  });

  it('refuses NUL characters and unpaired surrogates, in values and member names, and keeps pairs', () => {
    assert.equal(codeOf(() => parseFhirJson('{"a":"x\\u0000"}')), 'request.nul-character');
    assert.equal(codeOf(() => parseFhirJson('"\\u0000"')), 'request.nul-character');
    assert.equal(codeOf(() => parseFhirJson('{"a\\u0000":1}')), 'request.nul-character');
    assert.equal(codeOf(() => parseFhirJson('["\\ud800"]')), 'request.lone-surrogate');
    assert.equal(codeOf(() => parseFhirJson('["\\udc00\\ud800"]')), 'request.lone-surrogate');
    assert.deepEqual(parseFhirJson('["\\ud83d\\ude00","\\\\u0000","\\\\ud800"]'), ['😀', '\\u0000', '\\ud800']);
  });
});

describe('rejectDeepJson', () => {
  it('walks values of any depth without recursion', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(codeOf(() => rejectDeepJson(deep)), 'json.too-deep');
    assert.equal(codeOf(() => rejectDeepJson(JSON.parse(nested(MAX_JSON_DEPTH)))), undefined);
  });
});
