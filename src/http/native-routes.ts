/**
 * The native API at / in Aidbox format: the same interactions as /fhir (read, vread, create,
 * update, patch, delete, history, search, capabilities, batch and transaction at POST /,
 * operations), run by the same engine. Bodies are converted Aidbox -> FHIR before the engine sees
 * them and every resource of the answer (Bundle entries included) FHIR -> Aidbox; JSON Patch paths
 * address the Aidbox view. Links, fullUrls and Location headers use the native base. Also the debug
 * operations POST /$to-format/aidbox and /$to-format/fhir. GET / without search parameters is the
 * home page (home-page.ts), not a search of every type. Routes registered by others (/health,
 * /fhir, static /$operation routes) win over the native catch-all.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FhirError, isResource, type Resource } from '../core/index.js';
import { handleRequest, type EngineContext, type FhirRequest, type ResourceView } from '../engine/index.js';
import { FORMAT_CODES, toAidbox, toFhir } from '../format/index.js';
import { errorAnswer } from './error-response.js';
import { engineRequest, replyFormat, requestBaseUrl } from './fhir-routes.js';
import { isHomeRequest, sendHomePage } from './home-page.js';
import { FHIR_JSON, JSON_TYPE } from './media-types.js';
import { requestOrigin } from './public-base.js';
import { sendResource, type ReplyFormat } from './reply.js';

export interface NativeRoutesOptions {
  ctx: EngineContext;
  /** The configured public base of the FHIR API (FLINT_BASE_URL); the native base is it without /fhir. */
  fhirBaseUrl?: string;
}


/** The native base: the configured FHIR base without its /fhir suffix, else the request's public origin. */
export function nativeBaseUrl(request: FastifyRequest, fhirBaseUrl?: string): string {
  if (fhirBaseUrl?.endsWith('/fhir')) return fhirBaseUrl.slice(0, -'/fhir'.length);
  return requestOrigin(request);
}

function aidboxView(ctx: EngineContext): ResourceView {
  return { toView: (resource) => toAidbox(ctx.model, resource), fromView: (view) => toFhir(ctx.model, view) };
}

function toNativeRequest(request: FastifyRequest, options: NativeRoutesOptions): FhirRequest {
  const engine = engineRequest(request, '', nativeBaseUrl(request, options.fhirBaseUrl));
  const body = isResource(engine.body) ? toFhir(options.ctx.model, engine.body) : engine.body;
  return { ...engine, body, view: aidboxView(options.ctx) };
}

/** Content negotiation as for /fhir (406 when no JSON is acceptable), answered as application/json. */
function nativeFormat(request: FastifyRequest, mediaType = JSON_TYPE): ReplyFormat {
  return { ...replyFormat(request), mediaType };
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const answer = errorAnswer(error, request.log);
  const pretty = (request.query as Record<string, string | undefined>)._pretty === 'true';
  return sendResource(reply, answer.status, answer.outcome, answer.headers, { mediaType: JSON_TYPE, pretty });
}

function debugInput(ctx: EngineContext, body: unknown): Resource {
  if (!isResource(body)) {
    throw new FhirError('invalid', FORMAT_CODES.notAResource, 'The body must be a resource (a JSON object with a resourceType)', { expression: 'resourceType' });
  }
  if (!ctx.model.isResourceType(body.resourceType)) {
    throw new FhirError('invalid', FORMAT_CODES.unknownType, `Unknown resourceType ${JSON.stringify(body.resourceType)}`, { expression: 'resourceType' });
  }
  return body;
}

function registerDebugOperations(app: FastifyInstance, ctx: EngineContext): void {
  app.post('/$to-format/aidbox', async (request, reply) => {
    try {
      const format = nativeFormat(request);
      return sendResource(reply, 200, toAidbox(ctx.model, debugInput(ctx, request.body)), {}, format);
    } catch (error) {
      return sendError(request, reply, error);
    }
  });
  app.post('/$to-format/fhir', async (request, reply) => {
    try {
      const format = nativeFormat(request, FHIR_JSON);
      return sendResource(reply, 200, toFhir(ctx.model, debugInput(ctx, request.body)), {}, format);
    } catch (error) {
      return sendError(request, reply, error);
    }
  });
}

export function registerNativeRoutes(app: FastifyInstance, options: NativeRoutesOptions): void {
  registerDebugOperations(app, options.ctx);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const format = nativeFormat(request);
      const response = await handleRequest(options.ctx, toNativeRequest(request, options));
      const body = response.body ? toAidbox(options.ctx.model, response.body) : undefined;
      return sendResource(reply, response.status, body, response.headers, format);
    } catch (error) {
      return sendError(request, reply, error);
    }
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  app.get('/', async (request, reply) => {
    if (!isHomeRequest(request)) return handler(request, reply);
    const native = nativeBaseUrl(request, options.fhirBaseUrl);
    return sendHomePage(request, reply, { native, fhir: requestBaseUrl(request, '/fhir', options.fhirBaseUrl) });
  });
  app.route({ method: methods.filter((method) => method !== 'GET'), url: '/', handler });
  app.route({ method: [...methods], url: '/*', handler });
}
