/**
 * The User, Client and role names of callers, read once and kept briefly, so that evaluating
 * policies costs no query per request. Any write of a User, Client or Role clears the cache, on
 * this process at commit and on the others through NOTIFY on the shared database; entries also
 * end after a few seconds, as a bound should a notification be missed.
 */
import type { Caller, Resource } from '../core/index.js';
import type { Database } from '../db/index.js';
import { ident, sql } from '../sql/index.js';
import type { ResourceChange, WriteHook, WriteTx } from '../storage/index.js';
import { readIdentity, type IdentityReader } from './identity-reads.js';
import type { CallerIdentity } from './request-object.js';

export const IDENTITY_CHANNEL = 'flint_identity_changed';
const WATCHED = new Set(['User', 'Client', 'Role']);
const LIFETIME_MS = 10_000;
const MAX_ENTRIES = 10_000;

/** The names of the Roles a user holds. */
export async function roleNames(reader: IdentityReader, userId: string): Promise<string[]> {
  const storage = reader.storages.storageFor('Role');
  if (!storage) return [];
  const { rows } = await reader.db.query<{ name: string }>(sql`SELECT DISTINCT resource->>'name' AS name
    FROM ${ident(storage.table)} WHERE resource->'user'->>'reference' = ${`User/${userId}`} AND resource->>'name' IS NOT NULL`);
  return rows.map((row) => row.name).sort();
}

export class CallerIdentities implements WriteHook {
  private readonly entries = new Map<string, { identity: Promise<CallerIdentity>; until: number }>();
  private stopListening?: () => Promise<void>;

  constructor(private readonly reader: IdentityReader) {}

  /** The identity of a caller, from the cache when fresh. */
  identityOf(caller: Caller, now = Date.now()): Promise<CallerIdentity> {
    const key = `${caller.clientId ?? ''}|${caller.userId ?? ''}`;
    const known = this.entries.get(key);
    if (known && known.until > now) return known.identity;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const identity = this.read(caller);
    this.entries.set(key, { identity, until: now + LIFETIME_MS });
    identity.catch(() => this.entries.delete(key));
    return identity;
  }

  private async read(caller: Caller): Promise<CallerIdentity> {
    const [user, client, roles] = await Promise.all([
      caller.userId ? readIdentity(this.reader, 'User', caller.userId) : undefined,
      caller.clientId ? readIdentity(this.reader, 'Client', caller.clientId) : undefined,
      caller.userId ? roleNames(this.reader, caller.userId) : [],
    ]);
    return { user: user && withoutSecrets(user), client: client && withoutSecrets(client), roles };
  }

  clear(): void {
    this.entries.clear();
  }

  async beforeCommit(change: ResourceChange, tx: WriteTx): Promise<void> {
    if (WATCHED.has(change.resourceType)) await tx.query(sql`SELECT pg_notify(${IDENTITY_CHANNEL}, ${change.resourceType})`);
  }

  afterCommit(changes: ResourceChange[]): void {
    if (changes.some((change) => WATCHED.has(change.resourceType))) this.clear();
  }

  /** Hears the changes other processes make. */
  async listen(db: Database): Promise<void> {
    this.stopListening = await db.listen(IDENTITY_CHANNEL, () => this.clear());
    db.onListenerReconnect(() => this.clear());
  }

  async close(): Promise<void> {
    await this.stopListening?.();
  }
}

/** The resource without the write-only secret fields (never stored, but a policy must never see one). */
function withoutSecrets(resource: Resource): Resource {
  const { password: _password, secret: _secret, ...rest } = resource as Record<string, unknown>;
  return rest as Resource;
}
