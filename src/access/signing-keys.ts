/**
 * The keys that sign the tokens this server issues (RS256, RFC 7518): from the configuration
 * (FLINT_AUTH_SIGNING_KEY, a private JWK, so that every process and every restart agree), or else
 * from the flint_signing_key table, where the first process to start generates one under the
 * schema lock, so that several processes on one database share it. The newest key signs; every key
 * verifies, and the public parts are the JWKS (/auth/jwks).
 */
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { withSchemaLock, type Database } from '../db/index.js';
import { sql } from '../sql/index.js';

export const SIGNING_ALGORITHM = 'RS256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SigningKeys {
  /** The key that signs new tokens. */
  current: SigningKey;
  /** The public keys, newest first (the JWKS document's `keys`). */
  publicJwks: JWK[];
  /** Finds the key of a token among the public keys (for jwtVerify). */
  keySet: ReturnType<typeof createLocalJWKSet>;
}

const PRIVATE_PARTS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  const kid = jwk.kid ?? await calculateJwkThumbprint(jwk);
  const privateKey = await importJWK({ ...jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM) as CryptoKey;
  const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_PARTS.includes(name))) as JWK;
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk) };
}

/** The stored keys, newest first; generates and stores one when there is none. */
async function storedKeys(db: Database): Promise<JWK[]> {
  return withSchemaLock(db, async (tx) => {
    const { rows } = await tx.query<{ private_jwk: JWK }>(sql`SELECT private_jwk FROM flint_signing_key ORDER BY created_at DESC, kid`);
    if (rows.length > 0) return rows.map((row) => row.private_jwk);
    const jwk = await generatePrivateJwk();
    await tx.query(sql`INSERT INTO flint_signing_key (kid, private_jwk) VALUES (${jwk.kid as string}, ${JSON.stringify(jwk)}::jsonb)`);
    return [jwk];
  });
}

/** The signing keys of private JWKs, the first signing. */
export async function signingKeysOf(jwks: JWK[]): Promise<SigningKeys> {
  const keys = await Promise.all(jwks.map(fromPrivateJwk));
  const publicJwks = keys.map((key) => key.publicJwk);
  return { current: keys[0], publicJwks, keySet: createLocalJWKSet({ keys: publicJwks }) };
}

/** The signing keys: the configured private JWK (JSON text) when given, else the database's. */
export async function loadSigningKeys(db: Database, configured?: string): Promise<SigningKeys> {
  return signingKeysOf(configured ? [JSON.parse(configured) as JWK] : await storedKeys(db));
}

/** A new private signing key, as the JWK text FLINT_AUTH_SIGNING_KEY takes. */
export async function newSigningKeyText(): Promise<string> {
  return JSON.stringify(await generatePrivateJwk());
}
