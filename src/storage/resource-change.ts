/**
 * A change to a stored resource, as hooks see it: inside the transaction before commit (they may
 * reject it), and after commit (they may act on it: refresh the model, notify, deliver).
 */
import type { Caller, Resource } from '../core/index.js';
import type { Queryable } from '../db/index.js';

export interface ResourceChange {
  action: 'create' | 'update' | 'delete';
  resourceType: string;
  id: string;
  versionId: string;
  /** The new version (create, update). */
  resource?: Resource;
  /** The version before the change (update, delete), when known. */
  previous?: Resource;
}

/** A transaction that writes resources: it records the changes it made, for the hooks. */
export interface WriteTx extends Queryable {
  readonly changes: ResourceChange[];
  /** Who writes (the request's caller); absent for the server's own writes. */
  readonly caller?: Caller;
}

/** A resource about to be stored (created or updated), as `beforeStore` sees it. */
export interface ResourceToStore {
  resourceType: string;
  id: string;
  resource: Resource;
}

export interface WriteHook {
  /**
   * Runs in the transaction before a version is stored; returns the resource to store instead (the
   * identity types take their secrets out here, so no stored version ever holds one).
   */
  beforeStore?(write: ResourceToStore, tx: WriteTx): Promise<Resource> | Resource;
  /** Runs in the transaction, before commit; throwing rejects the whole write. */
  beforeCommit?(change: ResourceChange, tx: WriteTx): Promise<void> | void;
  /** Runs after the transaction committed, with every change it made, in order. */
  afterCommit?(changes: ResourceChange[]): Promise<void> | void;
}
