import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { cpSync, rmSync, readdirSync } from 'node:fs';
const cpu = () => { const u = process.cpuUsage(); return Math.round((u.user + u.system) / 1000); };
const ext = { pg_trgm, unaccent, btree_gin };
const src = '/tmp/fs-tpl-dir/' + (readdirSync('/tmp/fs-tpl-dir').includes('tmp') ? 'tmp/pglite/base' : '');
const base = process.argv[2];
for (let i = 0; i < 2; i++) {
  const a = cpu(); const w = performance.now();
  const dir = `${base}/fs-copy-${i}`;
  cpSync(process.argv[3], dir, { recursive: true });
  const b = cpu();
  const db = new PGlite({ dataDir: dir, extensions: ext });
  await db.waitReady; await db.query('select 1');
  const c = cpu();
  await db.query("insert into patient (id, txid, ts, resource_type, status, resource) values ('x', 1, now(), 'Patient', 'created', '{}')").catch(e => console.log(e.message));
  const r = await db.query("select count(*) from pg_class");
  const d = cpu();
  await db.close(); rmSync(dir, { recursive: true });
  console.log('copy', b - a, 'open', c - b, 'query', d - c, 'close+rm', cpu() - d, 'wall', Math.round(performance.now() - w), r.rows);
}
