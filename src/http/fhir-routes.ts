/**
 * The FHIR REST API at /fhir: every method and path goes to the engine as a plain request.
 * _format and _pretty are HTTP concerns and stay here; POST _search bodies become query parameters.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseQueryString, type QueryParams } from '../core/index.js';
import { handleRequest, type EngineContext, type FhirRequest, type HttpMethod } from '../engine/index.js';
import { baseMediaType, FORM, responseMediaType } from './media-types.js';
import { requestOrigin } from './public-base.js';
import { sendResource, type ReplyFormat } from './reply.js';
import { requestSignal } from './request-signal.js';
import { httpErrors } from './http-errors.js';

export interface FhirRoutesOptions {
  ctx: EngineContext;
  /** The mount point, /fhir. */
  prefix: string;
  /** A fixed public base URL; derived from each request (Host, or trusted X-Forwarded-*) when absent. */
  baseUrl?: string;
}

const HTTP_ONLY_PARAMS = ['_format', '_pretty'];

export function headerMap(request: FastifyRequest): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

export function splitUrl(url: string, prefix: string): { path: string; query: QueryParams } {
  const question = url.indexOf('?');
  const pathPart = question < 0 ? url : url.slice(0, question);
  const query = question < 0 ? [] : parseQueryString(url.slice(question + 1));
  return { path: pathPart.slice(prefix.length).replace(/^\/+/, ''), query };
}

/** The one value of an HTTP-only parameter; 400 (http.repeated-parameter) when it is given twice. */
function singleValue(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = query[name];
  if (!Array.isArray(value)) return value;
  throw httpErrors['http.repeated-parameter']({ detail: `${name} is given ${value.length} times; give it once` }, { expression: name });
}

export function replyFormat(request: FastifyRequest): ReplyFormat {
  const query = request.query as Record<string, string | string[] | undefined>;
  const pretty = singleValue(query, '_pretty') === 'true';
  return { mediaType: responseMediaType(singleValue(query, '_format'), request.headers.accept), pretty };
}

/** The configured base, else the request's public origin (trusted proxies' X-Forwarded-*) and the mount point. */
export function requestBaseUrl(request: FastifyRequest, prefix: string, configured?: string): string {
  return configured ?? `${requestOrigin(request)}${prefix}`;
}

/**
 * The engine request of an HTTP request below a prefix: path, query without the HTTP-only
 * parameters (a form body of POST _search joins the query), headers, body, the base URL and the
 * signal that aborts when the client goes away.
 */
export function engineRequest(request: FastifyRequest, prefix: string, baseUrl: string): FhirRequest {
  const { path, query } = splitUrl(request.url, prefix);
  const contentType = baseMediaType(request.headers['content-type']);
  let body: unknown = request.body;
  const engineQuery = query.filter(([name]) => !HTTP_ONLY_PARAMS.includes(name));
  if (contentType === FORM && typeof body === 'string') {
    engineQuery.push(...parseQueryString(body));
    body = undefined;
  }
  return {
    method: request.method as HttpMethod, path, query: engineQuery, headers: headerMap(request), body, contentType, baseUrl,
    signal: requestSignal(request), caller: request.caller,
  };
}

function toFhirRequest(request: FastifyRequest, options: FhirRoutesOptions): FhirRequest {
  return engineRequest(request, options.prefix, requestBaseUrl(request, options.prefix, options.baseUrl));
}

export function registerFhirRoutes(app: FastifyInstance, options: FhirRoutesOptions): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const format = replyFormat(request);
    const response = await handleRequest(options.ctx, toFhirRequest(request, options));
    return sendResource(reply, response.status, response.bodyText ?? response.body, response.headers, format);
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  app.route({ method: [...methods], url: options.prefix, handler });
  app.route({ method: [...methods], url: `${options.prefix}/*`, handler });
}
