/**
 * The CRUD benchmark's second raw reference: the same row work through the Node driver (pg) and the
 * storage module's own statements, each write in a SERIALIZABLE transaction as the server runs it.
 * It shows what the driver alone costs; pgbench is the ceiling.
 */
import { newResourceId } from '../../src/core/index.js';
import { runTransaction, type Database } from '../../src/db/index.js';
import type { Sql, SqlPart } from '../../src/sql/index.js';
import { param } from '../../src/sql/index.js';
import {
  defaultStorage, insertResource, lockCurrentVersion, readCurrentText, toStoredJson, updateResource,
} from '../../src/storage/index.js';
import { FAMILIES, familyOf, SEARCH_PATIENTS, UPDATE_PATIENTS } from './workload.js';
import { CREATE_BODY, TRANSACTION_BODY, UPDATE_TEMPLATE } from './wrk-scripts.js';

export type NodeWork = (i: number) => Promise<unknown>;

const patients = defaultStorage('Patient');
const observations = defaultStorage('Observation');
const serializable = { isolation: 'serializable' as const, retries: 10 };
const random = (below: number) => Math.floor(Math.random() * below);

/** The page query text from $explain, with its parameters bound again (the family one per call). */
function searchQuery(text: string, parameters: string[], family: string): Sql {
  const parts: SqlPart[] = text.split(/(\$\d+)/).map((chunk) => {
    if (!/^\$\d+$/.test(chunk)) return chunk;
    return param(parameters[Number(chunk.slice(1)) - 1].replace('Family000'.toLowerCase(), family.toLowerCase()));
  });
  return { kind: 'sql', parts };
}

export function nodeWork(db: Database, search: { text: string; parameters: string[] }): Record<string, NodeWork> {
  const entries = (TRANSACTION_BODY as { entry: { resource: Record<string, unknown> }[] }).entry;
  return {
    create: () => runTransaction(db, (tx) => insertResource(tx, patients, newResourceId(), toStoredJson(CREATE_BODY as never)), serializable),
    read: () => readCurrentText(db, patients, `crud-${random(SEARCH_PATIENTS)}`),
    search: () => db.query(searchQuery(search.text, search.parameters, familyOf(random(FAMILIES))), { prepare: true }),
    update: () => runTransaction(db, async (tx) => {
      const id = `upd-${random(UPDATE_PATIENTS)}`;
      await lockCurrentVersion(tx, patients, id);
      return updateResource(tx, patients, id, toStoredJson(JSON.parse(UPDATE_TEMPLATE.replace('__ID__', id))));
    }, serializable),
    transaction: () => runTransaction(db, async (tx) => {
      for (const [index, entry] of entries.entries()) {
        await insertResource(tx, index === 0 ? patients : observations, newResourceId(), toStoredJson(entry.resource as never));
      }
    }, serializable),
  };
}
