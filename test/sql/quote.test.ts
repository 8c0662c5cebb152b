/**
 * The one quoting of names and string constants: what it writes, and that PostgreSQL reads every
 * text back exactly, with standard_conforming_strings on and off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { quoteIdentifier, quoteLiteral, raw } from '../../src/sql/index.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const TEXTS = ["plain", "it's", "''", "back\\slash", "\\'", "a\\\\b'c", "é ü 字", "line\nbreak", ""];

describe('quoteLiteral', () => {
  it('doubles quotes, and writes a backslash only inside an E string with backslashes doubled', () => {
    assert.equal(quoteLiteral("it's"), "'it''s'");
    assert.equal(quoteLiteral(''), "''");
    assert.equal(quoteLiteral("a\\b'c"), "E'a\\\\b''c'");
  });

  it('refuses a NUL character', () => {
    assert.throws(() => quoteLiteral('a\u0000b'), /NUL/);
  });
});

describe('quoteIdentifier', () => {
  it('doubles double quotes', () => {
    assert.equal(quoteIdentifier('my "table"'), '"my ""table"""');
  });
});

describe('quoted text read back by PostgreSQL', () => {
  let database: TestDatabase;
  before(async () => { database = await openTestDatabase(); });
  after(async () => { await database.close(); });

  for (const conforming of ['on', 'off']) {
    it(`is the same text with standard_conforming_strings = ${conforming}`, async () => {
      await database.db.transaction(async (tx) => {
        await tx.query(raw(`SET LOCAL standard_conforming_strings = ${conforming}`));
        const select = TEXTS.map((text, index) => `${quoteLiteral(text)} AS ${quoteIdentifier(`c"${index}`)}`).join(', ');
        const { rows } = await tx.query<Record<string, string>>(raw(`SELECT ${select}`));
        assert.deepEqual(TEXTS.map((_, index) => rows[0][`c"${index}`]), TEXTS);
      });
    });
  }
});
