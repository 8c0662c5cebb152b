/**
 * The secrets of the identity types, kept out of the resources: when a User is written with a
 * `password`, or a Client with a `secret`, the write hook hashes it (secret-hash.ts) into the
 * flint_credential table, in the same transaction, and stores the resource without it. So no read,
 * search, history, export or $sql answer can hold a secret or a hash: none is in any resource
 * version. A write without the field keeps the secret there is; deleting the resource deletes it.
 */
import type { Resource } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';
import type { ResourceChange, ResourceToStore, WriteHook, WriteTx } from '../storage/index.js';
import { hashSecret } from './secret-hash.js';

/** The write-only field of each type that has a secret. */
const SECRET_FIELD: Readonly<Record<string, string>> = { User: 'password', Client: 'secret' };

/** Types whose stored credential goes with the resource (a Session's refresh token hash too). */
const TYPES_WITH_CREDENTIALS = new Set(['User', 'Client', 'Session']);

export async function storeCredential(tx: Queryable, resourceType: string, id: string, secretHash: string): Promise<void> {
  await tx.query(sql`INSERT INTO flint_credential (resource_type, id, secret_hash) VALUES (${resourceType}, ${id}, ${secretHash})
    ON CONFLICT (resource_type, id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, updated_at = now()`);
}

/** The stored hash of a resource's secret, if it has one. */
export async function readCredential(db: Queryable, resourceType: string, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ secret_hash: string }>(
    sql`SELECT secret_hash FROM flint_credential WHERE resource_type = ${resourceType} AND id = ${id}`,
  );
  return rows[0]?.secret_hash;
}

export async function deleteCredential(tx: Queryable, resourceType: string, id: string): Promise<void> {
  await tx.query(sql`DELETE FROM flint_credential WHERE resource_type = ${resourceType} AND id = ${id}`);
}

/** The write hook that takes secrets out of User and Client resources (see the module comment). */
export class CredentialHook implements WriteHook {
  async beforeStore(write: ResourceToStore, tx: WriteTx): Promise<Resource> {
    const field = SECRET_FIELD[write.resourceType];
    if (!field || !(field in write.resource)) return write.resource;
    const { [field]: secret, ...rest } = write.resource as Record<string, unknown>;
    if (typeof secret === 'string' && secret.length > 0) {
      await storeCredential(tx, write.resourceType, write.id, await hashSecret(secret));
    }
    return rest as Resource;
  }

  async beforeCommit(change: ResourceChange, tx: WriteTx): Promise<void> {
    if (change.action === 'delete' && TYPES_WITH_CREDENTIALS.has(change.resourceType)) {
      await deleteCredential(tx, change.resourceType, change.id);
    }
  }
}
