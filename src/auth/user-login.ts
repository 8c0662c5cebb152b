/**
 * The check of a sign-in: the login is a User's email (compared without case) or its id, the
 * password is verified against the stored scrypt hash. A missing account, an account without a
 * password, an inactive user and a wrong password all fail alike and cost the same hashing work, so
 * neither the answer nor its time tells whether the account exists.
 */
import { randomBytes } from 'node:crypto';
import type { Resource } from '../core/index.js';
import { hashSecret, readCredential, readIdentity, verifySecret, type IdentityReader } from '../access/index.js';
import { ident, sql } from '../sql/index.js';

let dummyHash: Promise<string> | undefined;

async function findUser(reader: IdentityReader, login: string): Promise<Resource | undefined> {
  const storage = reader.storages.storageFor('User');
  if (!storage) return undefined;
  const { rows } = await reader.db.query<{ id: string }>(sql`SELECT id FROM ${ident(storage.table)}
    WHERE lower(resource->>'email') = lower(${login}) ORDER BY id LIMIT 1`);
  const id = rows[0]?.id ?? (/^[A-Za-z0-9\-.]{1,64}$/.test(login) ? login : undefined);
  return id === undefined ? undefined : readIdentity(reader, 'User', id);
}

/** The active User whose login and password these are, or undefined. */
export async function verifyUserLogin(reader: IdentityReader, login: string, password: string): Promise<Resource | undefined> {
  const user = login.length <= 256 ? await findUser(reader, login) : undefined;
  const stored = user ? await readCredential(reader.db, 'User', user.id as string) : undefined;
  if (!user || !stored) {
    await verifySecret(password, await (dummyHash ??= hashSecret(randomBytes(16).toString('hex'))));
    return undefined;
  }
  const matches = await verifySecret(password, stored);
  return matches && user.inactive !== true ? user : undefined;
}
