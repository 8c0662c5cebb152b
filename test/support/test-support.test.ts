/**
 * The tests' own support: fresh folders are new, copied when asked and gone once removed; a test
 * database starts from the prepared template (the tables of the served types) or, asked for an
 * empty one, without them, and two test databases never share data.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from '../../src/sql/index.js';
import { freshDataFolder, withDataFolder } from './data-folder.js';
import { openTestDatabase, type TestDatabase } from './test-database.js';

async function hasTable(testDb: TestDatabase, name: string): Promise<boolean> {
  const { rows } = await testDb.db.query<{ found: boolean }>(sql`SELECT to_regclass(${name}) IS NOT NULL AS found`);
  return rows[0].found;
}

describe('fresh folders', () => {
  it('are new and empty, or a copy of the folder named, and are gone once removed', async () => {
    const source = freshDataFolder('source');
    writeFileSync(join(source.path, 'PG_VERSION'), '17\n');
    const copy = freshDataFolder('copy', source.path);
    const empty = freshDataFolder('copy');
    assert.notEqual(copy.path, empty.path);
    assert.equal(readFileSync(join(copy.path, 'PG_VERSION'), 'utf8'), '17\n');
    assert.equal(existsSync(join(empty.path, 'PG_VERSION')), false);
    for (const folder of [source, copy, empty]) await folder.remove();
    assert.equal([source, copy, empty].some((folder) => existsSync(folder.path)), false);
  });

  it('are removed after use also when the use fails', async () => {
    let used = '';
    await assert.rejects(withDataFolder('failing', async (path) => {
      used = path;
      throw new Error('the use failed');
    }), /the use failed/);
    assert.equal(existsSync(used), false);
  });
});

describe('test databases', () => {
  it('start from the template, or empty when asked, and share no data', async () => {
    const first = await openTestDatabase();
    const second = await openTestDatabase();
    const empty = await openTestDatabase({ empty: true });
    try {
      const templated = Boolean(process.env.FLINT_TEST_TEMPLATE);
      assert.equal(await hasTable(first, 'patient'), templated);
      assert.equal(await hasTable(empty, 'patient'), false);
      await first.db.query(sql`CREATE TABLE only_here (id int)`);
      assert.equal(await hasTable(first, 'only_here'), true);
      assert.equal(await hasTable(second, 'only_here'), false);
    } finally {
      await Promise.all([first.close(), second.close(), empty.close()]);
    }
  });
});
