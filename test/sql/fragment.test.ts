/**
 * SQL fragments compile to text with $n placeholders and the values in order; identifiers are
 * quoted; values never become SQL text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, ident, join, jsonParam, named, raw, sql } from '../../src/sql/index.js';

describe('compile', () => {
  it('numbers parameters across nested fragments', () => {
    const where = join([sql`a = ${1}`, sql`b = ${'x'}`], ' AND ');
    assert.deepEqual(compile(sql`SELECT * FROM ${ident('patient')} WHERE ${where} LIMIT ${10}`), {
      text: 'SELECT * FROM "patient" WHERE a = $1 AND b = $2 LIMIT $3',
      values: [1, 'x', 10],
    });
  });

  it('compiles fragments nested 100,000 deep and joins of 100,000 parts without overflowing the stack', () => {
    let deep = sql`${0}`;
    for (let i = 1; i < 100_000; i++) deep = sql`(${deep} OR x = ${i})`;
    const compiled = compile(deep);
    assert.equal(compiled.values.length, 100_000);
    assert.ok(compiled.text.startsWith('('.repeat(99_999) + '$1 OR x = $2)'));
    assert.equal(compile(join(Array.from({ length: 100_000 }, (_, i) => sql`${i}`), ' OR ')).values.length, 100_000);
  });

  it('keeps values out of the text, even hostile ones', () => {
    const compiled = compile(sql`SELECT ${"'; DROP TABLE patient; --"}`);
    assert.equal(compiled.text, 'SELECT $1');
  });

  it('quotes identifiers and qualified names', () => {
    assert.equal(compile(sql`${ident('sof', 'my "view"')}`).text, '"sof"."my ""view"""');
    assert.throws(() => ident('x'.repeat(64)));
    assert.throws(() => ident(''));
  });

  it('serializes JSON parameters so arrays stay JSON', () => {
    assert.deepEqual(compile(sql`${jsonParam([{ a: 1 }])}::jsonb`).values, ['[{"a":1}]']);
  });

  it('names parts with comments', () => {
    assert.equal(compile(named('subject', raw('x = 1'))).text, '/* subject */ x = 1');
  });

  it('keeps a name inside its comment, whatever comment marks it holds', () => {
    // Block comments nest in PostgreSQL: an opening mark left in the name would comment out the statement.
    assert.equal(compile(named("a /* b */ c */ d /*", raw('x = 1'))).text, "/* a / * b * / c * / d / * */ x = 1");
  });
});
