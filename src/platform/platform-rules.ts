/**
 * FlintStorage and FlintApi resources change only through the operations, which check the rules
 * (and make the tables) in the same transaction before they write: the write hook rejects any other
 * write of them (a plain PUT, POST, PATCH or DELETE, alone or in a Bundle). They stay readable,
 * searchable and with history at /fhir/FlintStorage and /fhir/FlintApi.
 */
import type { ResourceChange, WriteHook, WriteTx } from '../storage/index.js';
import { platformErrors } from './platform-errors.js';
import { FLINT_API, FLINT_STORAGE } from './system-types.js';

/** The writes an operation is making, per transaction (type/id). */
const operationWrites = new WeakMap<WriteTx, Set<string>>();

/** Runs an operation's write of a record, which the guard lets through. */
export async function asOperation<T>(tx: WriteTx, resourceType: string, id: string, write: () => Promise<T>): Promise<T> {
  const key = `${resourceType}/${id}`;
  const keys = operationWrites.get(tx) ?? new Set<string>();
  operationWrites.set(tx, keys);
  keys.add(key);
  try {
    return await write();
  } finally {
    keys.delete(key);
  }
}

export class PlatformWriteGuard implements WriteHook {
  beforeCommit(change: ResourceChange, tx: WriteTx): void {
    if (change.resourceType !== FLINT_STORAGE && change.resourceType !== FLINT_API) return;
    if (operationWrites.get(tx)?.has(`${change.resourceType}/${change.id}`)) return;
    const noun = change.resourceType === FLINT_STORAGE ? 'storage' : 'api';
    throw platformErrors['platform.use-operation']({ detail: `${change.resourceType} resources are changed with $create-${noun}, $configure-${noun} and $delete-${noun}` }, { headers: { allow: 'GET, HEAD' } });
  }
}
