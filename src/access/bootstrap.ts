/**
 * The identities every server has from its first start (docs/security.md): the root client, with
 * full access, and optionally an administrator who can use the sign-in page. The root client's
 * secret comes from FLINT_ROOT_CLIENT_SECRET; without it, on a database that has no root client,
 * the server generates a strong secret, stores only its hash and announces it once (the command
 * line prints it, never the request log). A configured secret or password that already matches is
 * not written again, so a restart adds no version.
 */
import { randomBytes } from 'node:crypto';
import type { Resource } from '../core/index.js';
import { handleRequest, type EngineContext } from '../engine/index.js';
import { ROOT_CLIENT_ID } from './authenticate.js';
import { readCredential } from './credentials.js';
import { readIdentity } from './identity-reads.js';
import { verifySecret } from './secret-hash.js';

export const ADMIN_USER_ID = 'admin';

export interface BootstrapSettings {
  rootClientSecret?: string;
  adminPassword?: string;
  /** Hears the generated root secret, once (the command line prints it). */
  announce?: (message: string) => void;
}

const ROOT_CLIENT: Resource = {
  resourceType: 'Client', id: ROOT_CLIENT_ID, name: 'root', type: 'admin', active: true,
  description: 'The root client: full access, created by the server at start',
  grant_types: ['basic', 'client_credentials'], scope: ['system/*.cruds'],
};

async function put(ctx: EngineContext, resource: Resource, headers: Record<string, string> = {}): Promise<number> {
  const response = await handleRequest(ctx, {
    method: 'PUT', path: `${resource.resourceType}/${resource.id}`, query: [], headers, body: resource, baseUrl: 'http://localhost/fhir',
  }).catch((error: { category?: string }) => {
    if (error.category === 'precondition-failed') return { status: 412 };
    throw error;
  });
  return response.status;
}

/** Whether the resource exists with this secret already. */
async function alreadySet(ctx: EngineContext, resourceType: string, id: string, secret: string): Promise<boolean> {
  const stored = await readCredential(ctx.db, resourceType, id);
  const current = await readIdentity(ctx, resourceType, id);
  return current !== undefined && current.active !== false && current.inactive !== true && stored !== undefined && await verifySecret(secret, stored);
}

async function ensureRootClient(ctx: EngineContext, settings: BootstrapSettings): Promise<void> {
  if (settings.rootClientSecret) {
    if (!(await alreadySet(ctx, 'Client', ROOT_CLIENT_ID, settings.rootClientSecret))) {
      await put(ctx, { ...ROOT_CLIENT, secret: settings.rootClientSecret });
    }
    return;
  }
  if (await readIdentity(ctx, 'Client', ROOT_CLIENT_ID)) return;
  const secret = randomBytes(24).toString('base64url');
  // If-None-Match: * so that of two processes starting at once, one creates it and announces it.
  if (await put(ctx, { ...ROOT_CLIENT, secret }, { 'if-none-match': '*' }) === 412) return;
  settings.announce?.(`generated the root client's secret (stored only as a hash, shown this once): ${secret}\n`
    + `  use it as: curl -u root:${secret} http://localhost:8080/fhir/Patient\n`
    + '  or set FLINT_ROOT_CLIENT_SECRET to choose your own (docs/security.md)');
}

async function ensureAdminUser(ctx: EngineContext, password: string): Promise<void> {
  if (await alreadySet(ctx, 'User', ADMIN_USER_ID, password)) return;
  await put(ctx, { resourceType: 'User', id: ADMIN_USER_ID, email: ADMIN_USER_ID, password });
  await put(ctx, { resourceType: 'Role', id: ADMIN_USER_ID, name: 'admin', user: { reference: `User/${ADMIN_USER_ID}` } });
}

/** Creates or updates the root client and the administrator as the settings say. */
export async function bootstrapIdentities(ctx: EngineContext, settings: BootstrapSettings): Promise<void> {
  await ensureRootClient(ctx, settings);
  if (settings.adminPassword) await ensureAdminUser(ctx, settings.adminPassword);
}
