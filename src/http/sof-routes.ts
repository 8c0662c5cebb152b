/**
 * $run over HTTP, streamed: POST (a Parameters body) or GET (query parameters) on
 * /fhir/ViewDefinition/$run and /fhir/ViewDefinition/{id}/$run. The output goes out batch by batch
 * as json, ndjson or csv. JSON bodies of these routes are parsed keeping decimals as written, so
 * the in-memory runner sees 1.0 as 1.0 (lowBoundary 0.95). Errors found before the first batch
 * (a bad view, an unknown view, a view failing on the data) are OperationOutcomes as usual. The
 * engine's request guards run on it as on any FHIR request, the rows it reads are the caller's
 * (engine visibleRows), as in the engine's own $run, and the audit log records it like the engine's.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseQueryString } from '../core/index.js';
import { withSignal } from '../db/index.js';
import { checkRequest, parseRoute, visibleRows, type EngineContext } from '../engine/index.js';
import { parseJsonWithDecimals, readRunParameters, runView } from '../sof/index.js';
import { engineRequest, requestBaseUrl } from './fhir-routes.js';
import { FHIR_JSON, JSON_TYPE } from './media-types.js';
import { requestSignal } from './request-signal.js';
import { httpErrors } from './http-errors.js';

const JSON_TYPES = [FHIR_JSON, JSON_TYPE, 'application/json+fhir'];

export interface SofRoutesOptions {
  ctx: EngineContext;
  /** The FHIR API mount point, /fhir. */
  prefix: string;
  /** The configured base URL of the FHIR API, if any (else the request's). */
  baseUrl?: string;
}

function queryOf(request: FastifyRequest) {
  const question = request.url.indexOf('?');
  return question < 0 ? [] : parseQueryString(request.url.slice(question + 1));
}

export function registerSofRoutes(app: FastifyInstance, options: SofRoutesOptions): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser(JSON_TYPES);
    scope.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, (body as string).trim() === '' ? undefined : parseJsonWithDecimals(body as string));
      } catch (error) {
        done(httpErrors['http.malformed-json']({ detail: `The body is not valid JSON: ${(error as Error).message}` }), undefined);
      }
    });
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const id = (request.params as { id?: string }).id;
      const ctx = { ...options.ctx, db: withSignal(options.ctx.db, requestSignal(request)) };
      const asked = engineRequest(request, options.prefix, requestBaseUrl(request, options.prefix, options.baseUrl));
      let output: Awaited<ReturnType<typeof runView>> | undefined;
      const start = async () => {
        await checkRequest(ctx, asked, parseRoute(asked.method, asked.path));
        const visible = (resourceType: string, alias: string) => visibleRows(ctx, asked, resourceType, alias);
        output = await runView(ctx, readRunParameters(request.body, queryOf(request)), id, visible);
        return { status: 200, headers: {} };
      };
      // Audited as the engine's requests are, once the run has started (or was refused).
      await (ctx.audit ? ctx.audit.request(asked, start) : start());
      if (!output) throw new Error('$run did not start');
      reply.header('content-type', `${output.contentType}; charset=utf-8`);
      return reply.send(Readable.from(output.chunks));
    };
    for (const url of [`${options.prefix}/ViewDefinition/$run`, `${options.prefix}/ViewDefinition/:id/$run`]) {
      scope.route({ method: ['GET', 'POST'], url, handler });
    }
  });
}
