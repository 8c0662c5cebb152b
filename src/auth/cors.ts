/**
 * CORS for browser apps (https://fetch.spec.whatwg.org/#http-cors-protocol) on the FHIR API and the
 * token endpoint: an origin is allowed when the setting FLINT_CORS_ORIGINS lists it (or is `*`) or
 * when the calling Client lists it in `allowed_origins`. A preflight (OPTIONS with
 * Access-Control-Request-Method) is answered without authentication; it allows an origin some
 * active Client lists, since a preflight names no client. Credentials (cookies) are never allowed:
 * apps send bearer tokens, and `*` never goes with credentials.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from '../core/index.js';
import { readIdentity } from '../access/index.js';
import { ident, sql } from '../sql/index.js';
import { formFields } from './form-fields.js';
import type { SignInDeps } from './sign-in-deps.js';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type, accept, prefer, if-match, if-none-match, if-modified-since, if-none-exist, x-request-id';
const EXPOSED_HEADERS = 'location, content-location, etag, last-modified, x-request-id, www-authenticate';

/** Adds Origin to the answer's Vary header, keeping what is there (Accept-Encoding from compression). */
function varyOnOrigin(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const names = vary === undefined ? [] : String(vary).split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (!names.some((name) => name.toLowerCase() === 'origin')) reply.header('vary', [...names, 'Origin'].join(', '));
}

function corsPath(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0].replace(/\/+$/, '');
  return path === '/fhir' || path.startsWith('/fhir/') || path === '/auth/token';
}

function listsOrigin(client: Resource | undefined, origin: string): boolean {
  return client?.active !== false && Array.isArray(client?.allowed_origins) && (client.allowed_origins as unknown[]).includes(origin);
}

/** Whether some active Client lists the origin (for a preflight, which names no client). */
async function anyClientLists(deps: SignInDeps, origin: string): Promise<boolean> {
  const storage = deps.ctx.storages.storageFor('Client');
  if (!storage) return false;
  const { rows } = await deps.ctx.db.query(sql`SELECT 1 FROM ${ident(storage.table)}
    WHERE resource->'allowed_origins' @> ${JSON.stringify([origin])}::jsonb AND coalesce(resource->>'active', 'true') <> 'false' LIMIT 1`);
  return rows.length > 0;
}

/** The client a request names: its bearer token's or Basic credentials' (the caller), or the token request's client_id. */
function callingClientId(request: FastifyRequest): string | undefined {
  if (request.caller?.clientId) return request.caller.clientId;
  const basic = /^basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  return formFields(request.body).client_id;
}

/** The Access-Control-Allow-Origin value for the origin, or undefined when it is not allowed. */
async function allowedOrigin(deps: SignInDeps, origin: string, clientId: string | undefined, preflight: boolean): Promise<string | undefined> {
  if (deps.corsOrigins.includes(origin)) return origin;
  if (deps.corsOrigins.includes('*')) return '*';
  if (preflight) return (await anyClientLists(deps, origin)) ? origin : undefined;
  const client = clientId && /^[A-Za-z0-9\-.]{1,64}$/.test(clientId) ? await readIdentity(deps.ctx, 'Client', clientId) : undefined;
  return listsOrigin(client, origin) ? origin : undefined;
}

async function preflight(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const origin = request.headers.origin;
  const allowed = origin ? await allowedOrigin(deps, origin, undefined, true) : undefined;
  varyOnOrigin(reply);
  if (allowed) {
    reply.headers({
      'access-control-allow-origin': allowed, 'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600',
    });
  }
  return reply.code(204).send();
}

/** The preflight routes and the CORS headers of the answers on /fhir and /auth/token. */
export function registerCors(app: FastifyInstance, deps: SignInDeps): void {
  for (const url of ['/fhir', '/fhir/*', '/auth/token']) app.options(url, (request, reply) => preflight(deps, request, reply));
  app.addHook('onSend', async (request, reply, payload) => {
    const origin = request.headers.origin;
    if (!origin || request.method === 'OPTIONS' || !corsPath(request)) return payload;
    const allowed = await allowedOrigin(deps, origin, callingClientId(request), false);
    varyOnOrigin(reply);
    if (allowed) reply.headers({ 'access-control-allow-origin': allowed, 'access-control-expose-headers': EXPOSED_HEADERS });
    return payload;
  });
}
