/**
 * The SQL each search parameter type compiles to, and what it finds (kysely's style): per type a
 * query's condition as text with its bound values, then the same condition run over the type's
 * table, and the sort key of each sortable type with the order it gives. A change of a type's
 * plan (another key function, a condition an index no longer serves) fails here, not only in a
 * benchmark. Types that cannot be sorted by are refused by name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../../src/sql/index.js';
import { startTestFlint, type TestFlint } from '../../support/test-server.js';
import { putAll } from '../search-cases.js';
import { cases, resources, sortCases } from './compiled-sql-cases.js';
import { compiledCondition, matchingIds, sortedIds } from './compiled-sql-support.js';

let flint: TestFlint;

before(async () => {
  flint = await startTestFlint();
  await putAll(flint, resources);
});

after(async () => {
  await flint?.stop();
});

describe('the condition of each parameter type', () => {
  for (const { type, resourceType, query, sql, params, ids } of cases) {
    it(`${type}: ${resourceType}?${query}`, async () => {
      const { condition } = compiledCondition(flint, resourceType, query);
      const compiled = compile(condition);
      assert.equal(compiled.text, sql);
      assert.deepEqual(compiled.values, params);
      assert.deepEqual(await matchingIds(flint, resourceType, condition, `${resourceType}?${query}`), ids);
    });
  }
});

describe('the sort key of each parameter type', () => {
  for (const { type, resourceType, sort, sql, ids } of sortCases) {
    it(`${type}: ${resourceType}?_sort=${sort}`, async () => {
      const [key] = compiledCondition(flint, resourceType, `_sort=${sort}`).sort;
      assert.equal(compile(key).text, sql);
      assert.deepEqual(await sortedIds(flint, resourceType, key, sort.startsWith('-')), ids);
    });
  }

  it('refuses a composite parameter as a sort key (search.bad-sort)', () => {
    assert.throws(() => compiledCondition(flint, 'Observation', '_sort=code-value-quantity'),
      (error: { code?: string; message?: string }) => error.code === 'search.bad-sort'
        && error.message === 'Cannot sort by code-value-quantity (a composite parameter)');
  });
});
