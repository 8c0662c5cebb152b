/**
 * A new embedded data folder made from a dump: unpacked with Node's file calls it opens as the
 * database that was dumped; PG_VERSION (what makes a folder a database) comes last; a dump naming
 * paths outside the folder is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import tar from 'tar-stream';
import { isNewDataFolder, PgliteDatabase, unpackDataFolder } from '../../src/db/index.js';
import { raw } from '../../src/sql/index.js';

const folders: string[] = [];
after(() => { for (const folder of folders) rmSync(folder, { recursive: true, force: true }); });

function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'flint-template-'));
  folders.push(folder);
  return folder;
}

async function tarball(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

describe('data folder from a dump', () => {
  it('opens as the database that was dumped', async () => {
    const source = await PgliteDatabase.open();
    await source.query(raw('CREATE TABLE kept (note text)'));
    await source.query(raw("INSERT INTO kept VALUES ('from the template')"));
    const dump = join(freshFolder(), 'dump.tgz');
    writeFileSync(dump, Buffer.from(await (await source.dump()).arrayBuffer()));
    await source.close();

    const folder = join(freshFolder(), 'data');
    assert.equal(isNewDataFolder(folder), true);
    const db = await PgliteDatabase.open({ dataDir: folder, templateFile: dump });
    try {
      assert.equal(isNewDataFolder(folder), false);
      const { rows } = await db.query<{ note: string }>(raw('SELECT note FROM kept'));
      assert.deepEqual(rows, [{ note: 'from the template' }]);
    } finally {
      await db.close();
    }
  });

  it('writes PG_VERSION only after everything else, and refuses paths outside the folder', async () => {
    const folder = freshFolder();
    const file = join(folder, 'dump.tgz');
    writeFileSync(file, await tarball({ '/PG_VERSION': '17\n', '/base/1/1259': 'x' }));
    await unpackDataFolder(file, join(folder, 'ok'));
    assert.deepEqual(readdirSync(join(folder, 'ok')).sort(), ['PG_VERSION', 'base']);

    writeFileSync(file, await tarball({ '/base/1/1259': 'x' }));
    await assert.rejects(unpackDataFolder(file, join(folder, 'unmarked')), /no PG_VERSION/);
    assert.equal(isNewDataFolder(join(folder, 'unmarked')), true);

    writeFileSync(file, await tarball({ '../escaped': 'x', '/PG_VERSION': '17\n' }));
    await assert.rejects(unpackDataFolder(file, join(folder, 'escape')), /outside the folder/);
    assert.equal(readdirSync(folder).includes('escaped'), false);
  });
});
