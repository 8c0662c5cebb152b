/**
 * The engine's entry point: one request in, one response out. The same function serves HTTP
 * requests and the entries of batch Bundles; a transaction Bundle runs its writes' plans with the
 * same executor (write-plan/).
 */
import { isResource, type Bundle } from '../core/index.js';
import { withSignal } from '../db/index.js';
import { batch } from './bundle/batch.js';
import { transaction } from './bundle/transaction.js';
import type { EngineContext } from './engine-context.js';
import { engineErrors } from './engine-errors.js';
import type { FhirRequest, FhirResponse } from './fhir-request.js';
import { capabilities } from './interactions/capabilities.js';
import { history } from './interactions/history.js';
import { read, vread } from './interactions/read.js';
import { search } from './interactions/search.js';
import { checkRequest } from './request-guard.js';
import { parseRoute, type Route } from './route.js';
import { planWrite, runWritePlan, type WritePlan } from './write-plan/index.js';
import type { Scope } from './write-transaction.js';

function bundleBody(request: FhirRequest): Bundle {
  const body = request.body;
  if (!isResource(body) || body.resourceType !== 'Bundle') {
    throw engineErrors['bundle.not-a-bundle'](undefined, { expression: 'Bundle' });
  }
  return body as Bundle;
}

async function batchOrTransaction(ctx: EngineContext, request: FhirRequest, scope: Scope): Promise<FhirResponse> {
  const bundle = bundleBody(request);
  if (scope.tx) throw engineErrors['bundle.nested'](undefined);
  if (bundle.type === 'transaction') return transaction(ctx, request, bundle, handleRequest);
  if (bundle.type === 'batch') return batch(ctx, request, bundle, handleRequest);
  throw engineErrors['bundle.bad-type']({ type: bundle.type }, { expression: 'Bundle.type' });
}

/** create, update, patch, delete and their conditional variants: a write plan, run by the one executor. */
function write(ctx: EngineContext, request: FhirRequest, route: Route, scope: Scope): Promise<FhirResponse> {
  return runWritePlan(ctx, planWrite(ctx, request, route) as WritePlan, scope);
}

export function handleRequest(context: EngineContext, request: FhirRequest, scope: Scope = {}): Promise<FhirResponse> {
  // The request's database work stops when its client goes away (db withSignal).
  const ctx = request.signal ? { ...context, db: withSignal(context.db, request.signal) } : context;
  // The audit log records the request once it answered (docs/audit.md).
  return ctx.audit ? ctx.audit.request(request, () => runRequest(ctx, request, scope)) : runRequest(ctx, request, scope);
}

async function runRequest(ctx: EngineContext, request: FhirRequest, scope: Scope): Promise<FhirResponse> {
  const route = parseRoute(request.method, request.path);
  await checkRequest(ctx, request, route);
  switch (route.interaction) {
    case 'read': return read(ctx, request, route, scope);
    case 'vread': return vread(ctx, request, route, scope);
    case 'create': case 'update': case 'conditional-update': case 'patch': case 'conditional-patch':
    case 'delete': case 'conditional-delete':
      return write(ctx, request, route, scope);
    case 'history-instance': case 'history-type': case 'history-system': return history(ctx, request, route, scope);
    case 'search-type': case 'search-system': case 'search-compartment': return search(ctx, request, route, scope);
    case 'capabilities': return capabilities(ctx, request);
    case 'batch': return batchOrTransaction(ctx, request, scope);
    case 'operation': return ctx.operations.find(route, request.method).handler({ ctx, request, route, tx: scope.tx });
  }
}
