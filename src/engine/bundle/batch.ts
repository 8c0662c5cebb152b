/**
 * batch Bundles (http://hl7.org/fhir/R4/http.html#transaction): each entry on its own, in its own
 * transaction, with its own status or OperationOutcome.
 */
import type { Bundle, BundleEntry } from '../../core/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';
import { rejectLargeBundle } from '../size-limits.js';
import { parseBundleEntries } from './bundle-entries.js';
import { errorEntry, responseEntry } from './entry-response.js';
import type { Dispatch } from './transaction-step.js';

export async function batch(ctx: EngineContext, request: FhirRequest, bundle: Bundle, dispatch: Dispatch): Promise<FhirResponse> {
  rejectLargeBundle(ctx, bundle);
  const entries = parseBundleEntries(bundle, request);
  const results: BundleEntry[] = [];
  for (const entry of entries) {
    try {
      results.push(responseEntry(await dispatch(ctx, entry.request, {})));
    } catch (error) {
      results.push(errorEntry(error));
    }
  }
  return { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'batch-response', entry: results } as Bundle };
}
