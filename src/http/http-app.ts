/**
 * Builds the Fastify application: body parsers, request ids, one JSON log line per request (to
 * stdout in batches unless a stream is given), errors as OperationOutcomes, response compression,
 * trusted proxies, /health and the FHIR API. Modules add routes through `routes`.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { coreErrors } from '../core/index.js';
import { httpErrors } from './http-errors.js';
import type { Database } from '../db/index.js';
import type { EngineContext } from '../engine/index.js';
import { registerAuthentication, type HttpAuthentication } from './authentication.js';
import { registerCompression } from './compression.js';
import { errorAnswer } from './error-response.js';
import { registerFhirRoutes } from './fhir-routes.js';
import { registerHealthRoute } from './health-route.js';
import { FHIR_JSON } from './media-types.js';
import { decorateProxyTrust, proxyTrust } from './public-base.js';
import { replyFormat } from './fhir-routes.js';
import { sendResource } from './reply.js';
import { registerBodyParsers } from './request-body.js';
import { BatchedLogStream } from './log-stream.js';
import { RequestLog } from './request-log.js';
import { watchRequest } from './request-signal.js';

export interface HttpOptions {
  ctx: EngineContext;
  db: Database;
  logLevel: string;
  bodyLimit: number;
  baseUrl?: string;
  /** Proxies whose X-Forwarded-* headers are believed: none (false, the default), any (true), or addresses and CIDRs. */
  trustedProxies?: boolean | string[];
  /** gzip/brotli answers (on unless `enabled` is false) from `threshold` bytes (1024 when absent). */
  compression?: { enabled: boolean; threshold: number };
  /** /health answers within this many milliseconds (unhealthy when the database does not answer in time); 1000 when absent. */
  healthTimeoutMs?: number;
  /** Where logs go (a stream); stdout when absent. */
  logStream?: NodeJS.WritableStream;
  /** More routes (other APIs and endpoints), registered after the FHIR API. */
  routes?: ((app: FastifyInstance) => void)[];
  /** How requests prove who they are (authentication.ts). */
  authentication: HttpAuthentication;
}

function safeFormat(request: FastifyRequest) {
  try {
    return replyFormat(request);
  } catch {
    return { mediaType: FHIR_JSON, pretty: false };
  }
}

export function buildHttpApp(options: HttpOptions): FastifyInstance {
  const trust = proxyTrust(options.trustedProxies);
  const trusting = options.trustedProxies === true || (Array.isArray(options.trustedProxies) && options.trustedProxies.length > 0);
  const batched = options.logStream ? undefined : new BatchedLogStream();
  const app = Fastify({
    // Without trusted proxies Fastify keeps its plain request (no forwarded-header lookups).
    trustProxy: trusting ? trust : false,
    logger: { level: options.logLevel, stream: options.logStream ?? batched },
    bodyLimit: options.bodyLimit,
    logController: new RequestLog(),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    forceCloseConnections: 'idle',
    // Fastify's own refusals (a malformed %-escape in the URL) answer an OperationOutcome too.
    frameworkErrors: (error, request, reply) => {
      const refusal = error.code === 'FST_ERR_BAD_URL'
        ? coreErrors['request.bad-escape']({ detail: 'The URL has a malformed %-escape' }) : error;
      const answer = errorAnswer(refusal, request.log);
      void sendResource(reply, answer.status, answer.outcome, answer.headers, { mediaType: FHIR_JSON, pretty: false });
    },
  });
  decorateProxyTrust(app, trust);
  if (batched) app.addHook('onClose', async () => batched.close());
  registerBodyParsers(app);
  app.addHook('onRequest', async (request, reply) => watchRequest(request, reply));
  registerAuthentication(app, options.authentication);
  // While the server closes, answers end their connections: a kept-alive socket would otherwise
  // hold the close open until the keep-alive timeout (72 s).
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.setErrorHandler((error, request, reply) => {
    const answer = errorAnswer(error, request.log);
    return sendResource(reply, answer.status, answer.outcome, answer.headers, safeFormat(request));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = httpErrors['http.unknown-path']({ detail: `Nothing is served at ${request.method} ${request.url.split('?')[0]}` });
    const answer = errorAnswer(error, request.log);
    return sendResource(reply, answer.status, answer.outcome, answer.headers, safeFormat(request));
  });
  registerCompression(app, options.compression ?? { enabled: true, threshold: 1024 });
  // The routes go in a plugin registered after compression, so that its route hook sees them all.
  app.register(async (routes) => {
    registerHealthRoute(routes, options.db, options.healthTimeoutMs ?? 1000);
    registerFhirRoutes(routes, { ctx: options.ctx, prefix: '/fhir', baseUrl: options.baseUrl });
    for (const register of options.routes ?? []) register(routes);
  });
  return app;
}
