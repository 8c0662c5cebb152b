/**
 * The scope of an evaluation: what a caller hands one evaluation reaches that evaluation's user
 * functions (`this.scope`), and no other evaluation, nested or interleaved, sees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFhirPath, defineFhirPathFunctions, evaluateFhirPath, type CompiledFhirPath } from '../../src/fhirpath/index.js';

interface Scope {
  name: string;
  /** Runs in the middle of this scope's evaluation, between two items of its input. */
  between?: () => void;
}

const functions = defineFhirPathFunctions({
  scopeName: {
    arity: { 0: [] },
    fn(input) {
      const scope = this.scope as Scope | undefined;
      return input.map((item, index) => {
        if (index === 1) scope?.between?.();
        return `${String(item)}@${scope?.name ?? 'none'}`;
      });
    },
  },
});
const lookup: CompiledFhirPath = compileFhirPath('item.scopeName()', { functions });

test('a user function sees the scope of the evaluation that calls it', () => {
  assert.deepEqual(lookup({ item: ['a'] }, undefined, { name: 'first' }), ['a@first']);
  assert.deepEqual(lookup({ item: ['a'] }, {}, { name: 'second' }), ['a@second']);
  assert.deepEqual(lookup({ item: ['a'] }), ['a@none']);
  assert.deepEqual(evaluateFhirPath({ item: ['a'] }, 'item.scopeName()', { functions, scope: { name: 'option' } }), ['a@option']);
});

test('evaluations interleaved with other scopes, or with none, each keep their own', () => {
  const seen: unknown[][] = [];
  const inner: Scope = { name: 'inner', between: () => seen.push(lookup({ item: ['x', 'y'] })) };
  const outer: Scope = { name: 'outer', between: () => seen.push(lookup({ item: ['p', 'q'] }, undefined, inner)) };
  assert.deepEqual(lookup({ item: ['a', 'b', 'c'] }, undefined, outer), ['a@outer', 'b@outer', 'c@outer']);
  assert.deepEqual(seen, [['x@none', 'y@none'], ['p@inner', 'q@inner']]);
});

test('the scope is no %variable', () => {
  assert.throws(() => evaluateFhirPath({}, '%scope', { functions, scope: { name: 'hidden' } }), { code: 'fhirpath.unknown-variable' });
});
