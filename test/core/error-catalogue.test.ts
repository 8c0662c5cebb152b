/**
 * Error catalogues (core error-catalogue.ts): a declared code raises a FhirError with its category,
 * issue type and message; a code cannot be declared twice; the list of codes is sorted by module.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineErrors, detail, FhirError, listErrorCodes } from '../../src/core/index.js';

describe('defineErrors', () => {
  const errors = defineErrors('catalogue-test', {
    'catalogue-test.unknown-thing': {
      category: 'not-found',
      summary: 'The thing is not there',
      message: (a: { name: string }) => `No thing called ${a.name}`,
    },
    'catalogue-test.bad-thing': {
      category: 'invalid', issueType: 'value', summary: 'The thing is malformed', message: detail,
    },
  });

  it('raises a FhirError with the declared category, code and message', () => {
    const error = errors['catalogue-test.unknown-thing']({ name: 'x' }, { expression: 'name' });
    assert.ok(error instanceof FhirError);
    assert.equal(error.category, 'not-found');
    assert.equal(error.code, 'catalogue-test.unknown-thing');
    assert.equal(error.message, 'No thing called x');
    assert.equal(error.issues[0]?.type, 'not-found');
    assert.deepEqual(error.issues[0]?.expression, ['name']);
  });

  it('uses the declared issue type over the category default', () => {
    const error = errors['catalogue-test.bad-thing']({ detail: 'too round' });
    assert.equal(error.issues[0]?.type, 'value');
    assert.equal(error.message, 'too round');
  });

  it('refuses a code declared in a second catalogue', () => {
    assert.throws(() => defineErrors('catalogue-test-2', {
      'catalogue-test.bad-thing': { category: 'invalid', summary: 'again', message: detail },
    }), /declared in two catalogues/);
  });

  it('lists every declared code with its module and summary', () => {
    const mine = listErrorCodes().filter((entry) => entry.module === 'catalogue-test');
    assert.deepEqual(mine.map((entry) => entry.code), ['catalogue-test.bad-thing', 'catalogue-test.unknown-thing']);
    assert.equal(mine[1]?.summary, 'The thing is not there');
  });
});
