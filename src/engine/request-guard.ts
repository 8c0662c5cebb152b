/**
 * Checks every request must pass before the engine runs it: a guard sees the request (with its
 * caller) and its route, and throws to refuse it. They run for each request and each Bundle entry,
 * reads and writes alike (dispatch.ts, bundle/transaction-step.ts), so a rule placed here holds on
 * every path. The access module installs the rule of administrative endpoints here.
 */
import type { EngineContext } from './engine-context.js';
import type { FhirRequest } from './fhir-request.js';
import type { Route } from './route.js';

export type RequestGuard = (request: FhirRequest, route: Route) => void | Promise<void>;

/** Runs the context's guards on the request, in order; the first that refuses throws. */
export async function checkRequest(ctx: EngineContext, request: FhirRequest, route: Route): Promise<void> {
  for (const guard of ctx.guards ?? []) await guard(request, route);
}
