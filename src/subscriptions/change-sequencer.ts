/**
 * The change sequencer: moves committed rows of the outbox (storage/change-capture.ts) into the
 * change feed (flint_change), giving each the next position. One sequencer runs at a time across
 * every server process (a transaction-scoped advisory lock), so positions are gap-free and each
 * position is final once seen.
 *
 * Why positions and not txids: a txid is taken while its transaction runs, so a transaction that
 * took txid 10 can commit after one that took txid 11; a reader that had seen 11 and resumed after it
 * would skip 10 for ever. The sequencer only ever sees committed rows, and numbers them in the order
 * they became visible (by txid within one move), so nothing committed later can take a position
 * below one already read. A resource's versions stay in order: the writer of a newer version waits
 * for the older one's transaction to end (the row lock), and takes its txid after it.
 */
import type { Database, Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';

/** The advisory lock of the sequencer ('fchg' in ASCII). */
const SEQUENCER_LOCK_KEY = 0x66636867;
/** The most rows one move takes: a large backlog (a bulk load) moves in several transactions. */
const MOVE_LIMIT = 10_000;

const MOVE = sql`
  WITH moved AS (
    DELETE FROM flint_change_outbox WHERE ctid IN (SELECT ctid FROM flint_change_outbox ORDER BY txid LIMIT ${MOVE_LIMIT})
    RETURNING txid, resource_type, id, event, ts),
  base AS (SELECT coalesce(max(position), 0) AS last FROM flint_change)
  INSERT INTO flint_change (position, txid, resource_type, id, event, ts)
  SELECT base.last + row_number() OVER (ORDER BY moved.txid), moved.txid, moved.resource_type, moved.id, moved.event, moved.ts
  FROM moved, base`;

async function moveCommitted(tx: Queryable): Promise<number> {
  const { rowCount } = await tx.query(MOVE);
  return rowCount ?? 0;
}

/**
 * Moves what has committed into the feed; answers how many changes it moved. With `wait`, it waits
 * for a sequencer running elsewhere to finish and then moves what is left (a reader that must see
 * every change committed before it asked); without, it leaves the work to that one.
 */
export async function sequenceChanges(db: Database, options: { wait?: boolean } = {}): Promise<number> {
  // An empty outbox (the usual case between writes) costs one read, no transaction.
  const { rows: pending } = await db.query(sql`SELECT 1 FROM flint_change_outbox LIMIT 1`);
  if (pending.length === 0) return 0;
  return db.transaction(async (tx) => {
    if (options.wait) {
      await tx.query(sql`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK_KEY}::bigint)`);
    } else {
      const { rows } = await tx.query<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK_KEY}::bigint) AS locked`);
      if (!rows[0]?.locked) return 0;
    }
    let moved = 0;
    for (let batch = await moveCommitted(tx); batch > 0; batch = batch === MOVE_LIMIT ? await moveCommitted(tx) : 0) moved += batch;
    return moved;
  });
}

/** Removes feed entries older than the retention (the outbox itself never keeps rows longer than a move). */
export async function pruneChanges(db: Database, retentionDays: number): Promise<number> {
  const { rowCount } = await db.query(sql`DELETE FROM flint_change WHERE ts < now() - make_interval(days => ${retentionDays}::int)`);
  return rowCount ?? 0;
}
