/**
 * The authorization server's HTTP endpoints: /auth/token, /auth/introspect, /auth/revoke,
 * /auth/jwks, /auth/userinfo, and the discovery documents at /.well-known/openid-configuration,
 * /.well-known/oauth-authorization-server, /fhir/.well-known/smart-configuration (and where
 * discovery looks for an issuer with a path: /auth/.well-known/openid-configuration for OpenID
 * Connect, /.well-known/oauth-authorization-server/auth for RFC 8414). OAuth answers are JSON and never cached (RFC 6749 section 5.1); errors are RFC 6749
 * section 5.2 bodies. A failure no client caused goes to the server's error handler (500, logged).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authServerUrls, requestFhirBase, type AuthServerDeps, type AuthServerUrls } from './auth-server-deps.js';
import { authorizationServerMetadata, smartConfiguration } from './discovery.js';
import { formParameters, type FormParameters } from './form-parameters.js';
import { introspectionRequest } from './introspection.js';
import { asOAuthError } from './oauth-error.js';
import { revocationRequest } from './revocation.js';
import { tokenRequest } from './token-endpoint.js';
import { userinfoRequest } from './userinfo.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

type Answer = Record<string, unknown> | undefined;
type Endpoint = (request: FastifyRequest, urls: AuthServerUrls) => Promise<Answer>;

function sendJson(reply: FastifyReply, status: number, body: Answer, headers: Record<string, string>): FastifyReply {
  reply.code(status).headers({ ...NO_STORE, ...headers });
  if (body === undefined) return reply.send();
  return reply.type('application/json').send(JSON.stringify(body));
}

/** A route whose OAuth errors become RFC 6749 section 5.2 answers. */
function oauthHandler(deps: AuthServerDeps, endpoint: Endpoint) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const urls = authServerUrls(requestFhirBase(deps, request));
    try {
      return sendJson(reply, 200, await endpoint(request, urls), {});
    } catch (error) {
      const oauth = asOAuthError(error);
      if (!oauth) throw error;
      return sendJson(reply, oauth.status, { error: oauth.error, error_description: oauth.description }, { ...oauth.headers });
    }
  };
}

function withForm(run: (request: FastifyRequest, form: FormParameters, urls: AuthServerUrls) => Promise<Answer>): Endpoint {
  return (request, urls) => run(request, formParameters(request), urls);
}

/** A public JSON document (discovery, JWKS): cacheable for a short while. */
function documentHandler(deps: AuthServerDeps, make: (urls: AuthServerUrls) => Record<string, unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const urls = authServerUrls(requestFhirBase(deps, request));
    return reply.headers({ 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' })
      .type('application/json').send(JSON.stringify(make(urls)));
  };
}

function registerDiscovery(app: FastifyInstance, deps: AuthServerDeps): void {
  const metadata = documentHandler(deps, authorizationServerMetadata);
  // RFC 8414 section 3.1 puts an issuer's path after the well-known name; OIDC Discovery 4 before it.
  for (const url of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/auth/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server/auth']) {
    app.get(url, metadata);
  }
  app.get('/fhir/.well-known/smart-configuration', documentHandler(deps, smartConfiguration));
  app.get('/auth/jwks', documentHandler(deps, () => ({ keys: deps.keys.publicJwks })));
}

/** Registers the authorization server (see the module comment). */
export function registerAuthServerRoutes(app: FastifyInstance, deps: AuthServerDeps): void {
  registerDiscovery(app, deps);
  app.post('/auth/token', oauthHandler(deps, withForm((request, form, urls) => tokenRequest({ deps, urls, request, form }))));
  app.post('/auth/introspect', oauthHandler(deps, withForm((request, form, urls) => introspectionRequest(deps, request, form, urls))));
  app.post('/auth/revoke', oauthHandler(deps, withForm(async (request, form, urls) => {
    await revocationRequest(deps, request, form, urls);
    return undefined;
  })));
  const userinfo = oauthHandler(deps, (request, urls) => userinfoRequest(deps, request, urls));
  app.get('/auth/userinfo', userinfo);
  app.post('/auth/userinfo', userinfo);
}
