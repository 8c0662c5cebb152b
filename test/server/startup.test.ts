/**
 * Start-up: the system schema and the tables are created idempotently, also when several processes
 * start against one database at once; configuration errors name the variable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readConfig } from '../../src/config.js';
import { embeddedTemplateFor } from '../../src/embedded-template.js';
import { createSystemSchema, PostgresDatabase, type Database } from '../../src/db/index.js';
import { loadCoreModel } from '../../src/model/index.js';
import { sql } from '../../src/sql/index.js';
import { Platform } from '../../src/platform/index.js';
import { withDataFolder } from '../support/data-folder.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

let testDb: TestDatabase;
before(async () => { testDb = await openTestDatabase({ empty: true }); });
after(async () => { await testDb.close(); });

const announced: number[] = [];

async function provision(db: Database): Promise<number> {
  await createSystemSchema(db);
  return new Platform({ db, model: await loadCoreModel(), autoMount: true }).provision((missing) => announced.push(missing));
}

describe('schema creation', () => {
  it('is safe when several processes start at once, and idempotent afterwards', async () => {
    const connections: Database[] = testDb.url
      ? Array.from({ length: 4 }, () => new PostgresDatabase({ connectionString: testDb.url as string, poolSize: 2 }))
      : [testDb.db, testDb.db, testDb.db, testDb.db];
    try {
      const counts = await Promise.all(connections.map(provision));
      assert.ok(counts.some((count) => count > 0));
      assert.ok(announced.length > 0 && announced.every((missing) => missing > 0));
      announced.length = 0;
      assert.equal(await provision(testDb.db), 0);
      assert.deepEqual(announced, []);
      const historyTables = (await loadCoreModel()).resourceTypes().map((type) => `${type.toLowerCase()}_history`);
      const { rows } = await testDb.db.query<{ n: string }>(sql`
        SELECT count(*) AS n FROM pg_class WHERE relkind = 'r' AND relname = ANY(${historyTables}::text[])`);
      assert.equal(Number(rows[0].n), 146);
    } finally {
      if (testDb.url) await Promise.all(connections.map((db) => db.close()));
    }
  });
});

describe('configuration', () => {
  it('has defaults', () => {
    const config = readConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, './data');
    assert.equal(config.defaultIsolation, 'serializable');
  });

  it('names the variable that is wrong', () => {
    assert.throws(() => readConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(() => readConfig({ FLINT_DEFAULT_ISOLATION: 'snapshot' }), /FLINT_DEFAULT_ISOLATION/);
    assert.throws(() => readConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
    assert.throws(() => readConfig({ FLINT_DB_POOL_SIZE: '0' }), /FLINT_DB_POOL_SIZE/);
  });
});

describe('embedded template', () => {
  it('is not used for PostgreSQL, for a folder that holds a database, or with other table settings', async () => {
    await withDataFolder('template-choice', async (folder) => {
      const existing = join(folder, 'existing');
      await mkdir(existing);
      await writeFile(join(existing, 'PG_VERSION'), '17\n');
      const cases = [
        { DATABASE_URL: 'postgres://db.example.org/flint', FLINT_DATA_DIR: join(folder, 'new') },
        { FLINT_DATA_DIR: existing },
        { FLINT_DATA_DIR: join(folder, 'new'), FLINT_SEARCH_INDEXES: 'none' },
        { FLINT_DATA_DIR: join(folder, 'new'), FLINT_ENABLE_API_AUTO_MOUNT: 'false' },
        { FLINT_DATA_DIR: 'memory://' },
      ];
      for (const env of cases) assert.equal(await embeddedTemplateFor(readConfig(env)), undefined, JSON.stringify(env));
    });
  });
});
