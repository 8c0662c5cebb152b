/**
 * Where a resource type lives: its main table and its history table (none when history is off).
 * The default storage of a type is the seed's layout: the type name in lower case, plus _history.
 */

export interface ResourceStorage {
  resourceType: string;
  table: string;
  /** null when the storage keeps no history. */
  historyTable: string | null;
}

export function defaultTableName(resourceType: string): string {
  return resourceType.toLowerCase();
}

export function defaultStorage(resourceType: string): ResourceStorage {
  const table = defaultTableName(resourceType);
  return { resourceType, table, historyTable: `${table}_history` };
}

/** Resolves the active storage of a resource type; undefined when the type is not served. */
export interface StorageResolver {
  storageFor(resourceType: string): ResourceStorage | undefined;
  /** Every active storage (system history, system search). */
  allStorages(): ResourceStorage[];
}
