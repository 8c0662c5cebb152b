/**
 * The $sql statement lexer: `?` placeholders only in code (not in strings, quoted identifiers,
 * comments or dollar quotes), `??` as a literal `?`, one statement per request, the first keyword,
 * and error positions mapped back to the text as sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputPosition, lexStatement } from '../../src/sql-api/index.js';

describe('placeholders', () => {
  const cases: [string, string, number][] = [
    ['SELECT ? + ?', 'SELECT $1 + $2', 2],
    ["SELECT '?', ?", "SELECT '?', $1", 1],
    ["SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1],
    ["SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1", 1],
    ['SELECT "a?b" FROM t WHERE x = ?', 'SELECT "a?b" FROM t WHERE x = $1', 1],
    ['SELECT 1 -- why?\n+ ?', 'SELECT 1 -- why?\n+ $1', 1],
    ['SELECT /* a /* nested ? */ comment ? */ ?', 'SELECT /* a /* nested ? */ comment ? */ $1', 1],
    ['SELECT $$ ? $$, $tag$ ? $tag$, ?', 'SELECT $$ ? $$, $tag$ ? $tag$, $1', 1],
    ["SELECT * FROM patient WHERE resource ?? 'gender' AND id = ?", "SELECT * FROM patient WHERE resource ? 'gender' AND id = $1", 1],
  ];
  for (const [input, text, count] of cases) {
    it(JSON.stringify(input), () => {
      const lexed = lexStatement(input, true);
      assert.equal(lexed.text, text);
      assert.equal(lexed.placeholders, count);
    });
  }

  it('leaves ? alone in the plain text form', () => {
    const lexed = lexStatement("SELECT * FROM patient WHERE resource ? 'gender'", false);
    assert.equal(lexed.text, "SELECT * FROM patient WHERE resource ? 'gender'");
    assert.equal(lexed.placeholders, 0);
  });

  it('splits the text into code and placeholder numbers', () => {
    assert.deepEqual(lexStatement("SELECT ?, 'x?', ?", true).chunks, ['SELECT ', 1, ", 'x?', ", 2, '']);
  });
});

describe('statements', () => {
  const cases: [string, string, boolean][] = [
    ['SELECT 1', 'SELECT', false],
    ['select 1;', 'SELECT', false],
    ['SELECT 1; -- done\n', 'SELECT', false],
    ['SELECT 1; SELECT 2', 'SELECT', true],
    ["SELECT ';'; DROP TABLE patient", 'SELECT', true],
    ["SELECT 'a;b'", 'SELECT', false],
    ['/* hi */ (VALUES (1))', 'VALUES', false],
    ['  -- c\n  with x as (select 1) select * from x', 'WITH', false],
    ['', '', false],
  ];
  for (const [input, keyword, second] of cases) {
    it(JSON.stringify(input), () => {
      const lexed = lexStatement(input, false);
      assert.equal(lexed.firstKeyword, keyword);
      assert.equal(lexed.hasSecondStatement, second);
    });
  }

  it('notes data-modifying keywords in code only', () => {
    assert.ok(lexStatement('WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', false).keywords.has('DELETE'));
    assert.ok(!lexStatement("WITH d AS (SELECT 'delete') SELECT \"update\" FROM d", false).keywords.has('DELETE'));
  });
});

describe('error positions', () => {
  it('maps a position in the sent text back to the text as written', () => {
    const lexed = lexStatement('SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FORM x', true);
    const sent = lexed.text.indexOf('FORM') + 1;
    assert.equal(inputPosition(lexed, sent), 'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FORM x'.indexOf('FORM') + 1);
    const literal = lexStatement("SELECT resource ?? 'a' FORM x", true);
    assert.equal(inputPosition(literal, literal.text.indexOf('FORM') + 1), "SELECT resource ?? 'a' FORM x".indexOf('FORM') + 1);
  });
});
