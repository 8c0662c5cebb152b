/**
 * Authentication at the door: every request except the public ones (health, the capability
 * statement, the discovery documents, the authorization server's own endpoints, the home page,
 * CORS preflights and the routes whose config says `public: true`, which check a credential of
 * their own, such as the websocket endpoint of subscriptions with its binding token)
 * must prove who it is before any route runs; the Caller goes on the request, and from there into
 * the engine request. With authentication off (FLINT_AUTH=off, local development only) every
 * request is the anonymous caller with full access, and every 1000th request logs a warning.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS_CALLER, type Caller } from '../core/index.js';
import { requestBaseUrl } from './fhir-routes.js';
import { isHomeRequest } from './home-page.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who makes the request (set by the authentication hook). */
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** The route checks its own credential: no authentication at the door. */
    public?: boolean;
  }
}

export interface HttpAuthentication {
  /** Proves the Authorization header to the FHIR base URL; absent when authentication is off. */
  authenticate?: (authorization: string | undefined, fhirBase: string) => Promise<Caller>;
  /** The configured FHIR base URL; the request's own when absent. */
  baseUrl?: string;
}

const PUBLIC_PATHS = new Set(['/health', '/fhir/metadata', '/fhir/.well-known/smart-configuration']);
const PUBLIC_PREFIXES = ['/.well-known/', '/auth/'];
const WARN_EVERY = 1000;

function pathOf(request: FastifyRequest): string {
  const question = request.url.indexOf('?');
  return (question < 0 ? request.url : request.url.slice(0, question)).replace(/\/+$/, '') || '/';
}

/** Whether anyone may make the request. */
export function isPublicRequest(request: FastifyRequest): boolean {
  // A CORS preflight carries no credentials (Fetch standard, CORS-preflight request).
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) return true;
  if (request.routeOptions.config?.public === true) return true;
  const path = pathOf(request);
  if (PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix))) return true;
  return path === '/' && request.method === 'GET' && isHomeRequest(request);
}

export function registerAuthentication(app: FastifyInstance, auth: HttpAuthentication): void {
  const authenticate = auth.authenticate;
  if (!authenticate) {
    let requests = 0;
    app.addHook('onRequest', async (request) => {
      request.caller = ANONYMOUS_CALLER;
      if (++requests % WARN_EVERY === 0) request.log.warn('authentication is off (FLINT_AUTH=off): every request has full access');
    });
    return;
  }
  app.addHook('onRequest', async (request) => {
    if (isPublicRequest(request)) return;
    request.caller = await authenticate(request.headers.authorization, requestBaseUrl(request, '/fhir', auth.baseUrl));
  });
}
