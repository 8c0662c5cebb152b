/**
 * The embedded database's memory setting: shared_buffers is what the server asks for
 * (FLINT_EMBEDDED_SHARED_BUFFERS), not PGlite's 128MB default.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConfig } from '../../src/config.js';
import { PgliteDatabase } from '../../src/db/index.js';
import { raw } from '../../src/sql/index.js';

describe('embedded database settings', () => {
  it('runs with the configured shared_buffers', async () => {
    const db = await PgliteDatabase.open({ sharedBuffers: readConfig({ FLINT_EMBEDDED_SHARED_BUFFERS: '16MB' }).embeddedSharedBuffers });
    try {
      const { rows } = await db.query<{ shared_buffers: string }>(raw('SHOW shared_buffers'));
      assert.equal(rows[0].shared_buffers, '16MB');
    } finally {
      await db.close();
    }
  });

  it('defaults to 32MB and refuses sizes PostgreSQL would not read', () => {
    assert.equal(readConfig({}).embeddedSharedBuffers, '32MB');
    for (const value of ['32', '32mb', '0MB', 'lots']) {
      assert.throws(() => readConfig({ FLINT_EMBEDDED_SHARED_BUFFERS: value }), /FLINT_EMBEDDED_SHARED_BUFFERS/);
    }
  });
});
