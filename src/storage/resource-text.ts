/**
 * Reads that answer the resource as JSON text built by PostgreSQL, so that a read is sent as the
 * database wrote it, without parsing and re-serialising it in Node (and with every decimal exactly as
 * stored). The text has resourceType, id and meta (the stored meta with versionId and lastUpdated)
 * first, then the stored members, in PostgreSQL's jsonb text style ({"a": 1, "b": [2, 3]}).
 */
import { FHIR_INSTANT_FORMAT, toFhirInstant, type Queryable } from '../db/index.js';
import { raw, sql } from '../sql/index.js';
import { currentRowQuery, PREPARED_READ, versionRowQuery, type RowCondition } from './resource-reads.js';
import type { ResourceStatus } from './resource-row.js';
import type { ResourceStorage } from './resource-storage.js';

/** A stored version as JSON text, plus what the row says about it. */
export interface StoredText {
  text: string;
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  status: ResourceStatus;
}

interface TextRow {
  id: string;
  txid: string;
  ts: string;
  resource_type: string;
  status: ResourceStatus;
  text: string;
}

const META = sql`(coalesce(resource -> 'meta', '{}'::jsonb)
  || jsonb_build_object('versionId', txid::text, 'lastUpdated', to_char(ts AT TIME ZONE 'UTC', ${raw(`'${FHIR_INSTANT_FORMAT}'`)})))::text`;
const REST = sql`(CASE WHEN resource ? 'meta' THEN resource - 'meta' ELSE resource END)`;

/** The expression of the resource's JSON text (resourceType, id and meta first) over a row's columns. */
export const RESOURCE_TEXT = sql`'{"resourceType": ' || to_json(resource_type)::text || ', "id": ' || to_json(id)::text
  || ', "meta": ' || ${META}
  || CASE WHEN ${REST} = '{}'::jsonb THEN '}' ELSE ', ' || substr(${REST}::text, 2) END`;

const TEXT_COLUMNS = sql`id, txid, ts, resource_type, status, ${RESOURCE_TEXT} AS text`;

function fromTextRow(row: TextRow): StoredText {
  return {
    text: row.text, resourceType: row.resource_type, id: row.id,
    versionId: String(row.txid), lastUpdated: toFhirInstant(row.ts), status: row.status,
  };
}

/** The current version as JSON text (read). */
export async function readCurrentText(db: Queryable, storage: ResourceStorage, id: string, visible?: RowCondition): Promise<StoredText | undefined> {
  const { rows } = await db.query<TextRow>(currentRowQuery(storage, id, TEXT_COLUMNS, visible), PREPARED_READ);
  return rows[0] ? fromTextRow(rows[0]) : undefined;
}

/** One version by its versionId (txid) as JSON text, from the main or the history table (vread). */
export async function readVersionText(
  db: Queryable, storage: ResourceStorage, id: string, versionId: string, visible?: RowCondition,
): Promise<StoredText | undefined> {
  const { rows } = await db.query<TextRow>(versionRowQuery(storage, id, versionId, TEXT_COLUMNS, visible), PREPARED_READ);
  return rows[0] ? fromTextRow(rows[0]) : undefined;
}
