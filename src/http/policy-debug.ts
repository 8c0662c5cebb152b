/**
 * The access decision explained in the response, for administrators debugging policies: a request
 * to /fhir with `x-debug-policy: true` from the root client or an administrator gets the header
 * `x-policy-decision` (JSON: docs/access-control.md#debugging); anyone else gets nothing extra.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../core/index.js';
import { parseRoute, type FhirRequest, type Route } from '../engine/index.js';
import { engineRequest, requestBaseUrl } from './fhir-routes.js';

export interface PolicyDebugOptions {
  explain(request: FhirRequest, route: Route, caller: Caller): Promise<object>;
  /** The mount point of the FHIR API, /fhir. */
  prefix: string;
  baseUrl?: string;
}

/** The header's value, or undefined when the request does not ask for it or may not have it. */
async function explanation(request: FastifyRequest, options: PolicyDebugOptions): Promise<string | undefined> {
  const caller = request.caller;
  if (request.headers['x-debug-policy'] !== 'true' || !caller?.admin) return undefined;
  if (request.url !== options.prefix && !request.url.startsWith(`${options.prefix}/`)) return undefined;
  try {
    const fhirRequest = engineRequest(request, options.prefix, requestBaseUrl(request, options.prefix, options.baseUrl));
    return JSON.stringify(await options.explain(fhirRequest, parseRoute(fhirRequest.method, fhirRequest.path), caller));
  } catch {
    return undefined;
  }
}

export function registerPolicyDebug(app: FastifyInstance, options: PolicyDebugOptions): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const value = await explanation(request, options);
    if (value !== undefined) reply.header('x-policy-decision', value);
    return payload;
  });
}
