/**
 * The used client assertion ids (jti) of every server process, in table flint_used_jti, so that an
 * assertion serves once whichever process receives it (RFC 7523 section 3, SMART Backend Services).
 * A jti is kept per client (two clients may pick the same jti) until the assertion could no longer
 * be accepted; expired rows are pruned now and then, and an expired row never blocks a new use.
 */
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { ReplayStore } from './replay-store.js';

const PRUNE_EVERY = 64;

export class DatabaseReplayStore implements ReplayStore {
  private calls = 0;

  constructor(private readonly db: Queryable, private readonly clientId = '') {}

  /** The store of one client's jtis (over the same table). */
  forClient(clientId: string): DatabaseReplayStore {
    return new DatabaseReplayStore(this.db, clientId);
  }

  async remember(jti: string, expiresAt: number): Promise<boolean> {
    if (++this.calls % PRUNE_EVERY === 1) await this.prune();
    const key = `${this.clientId}|${jti}`;
    const { rows } = await this.db.query<{ jti: string }>(sql`INSERT INTO flint_used_jti (jti, expires_at)
      VALUES (${key}, to_timestamp(${expiresAt}))
      ON CONFLICT (jti) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE flint_used_jti.expires_at < now()
      RETURNING jti`);
    return rows.length === 1;
  }

  /** Drops the jtis whose assertions have expired. */
  async prune(): Promise<void> {
    await this.db.query(sql`DELETE FROM flint_used_jti WHERE expires_at < now()`);
  }
}
