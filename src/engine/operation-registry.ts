/**
 * FHIR operations ($name) at system, type and instance level
 * (http://hl7.org/fhir/R4/operations.html). Modules register their operations here; the engine
 * dispatches to them and the CapabilityStatement lists them.
 */
import { FhirError } from '../core/index.js';
import type { WriteTx } from '../storage/index.js';
import type { EngineContext } from './engine-context.js';
import type { FhirRequest, FhirResponse } from './fhir-request.js';
import type { Route } from './route.js';

export type OperationLevel = 'system' | 'type' | 'instance';

export interface OperationCall {
  ctx: EngineContext;
  request: FhirRequest;
  route: Route;
  /** Set inside a transaction Bundle: the operation must use it (and may write through it). */
  tx?: WriteTx;
}

export interface OperationDefinitionEntry {
  name: string;
  levels: OperationLevel[];
  /** Restrict type and instance levels to these types (all types when absent). */
  resourceTypes?: string[];
  /** GET allowed (only for operations that change nothing). */
  affectsState: boolean;
  /** Canonical URL of the OperationDefinition, for the CapabilityStatement. */
  definition?: string;
  handler(call: OperationCall): Promise<FhirResponse>;
}

export class OperationRegistry {
  private readonly operations = new Map<string, OperationDefinitionEntry[]>();

  register(entry: OperationDefinitionEntry): void {
    const entries = this.operations.get(entry.name) ?? [];
    entries.push(entry);
    this.operations.set(entry.name, entries);
  }

  all(): OperationDefinitionEntry[] {
    return [...this.operations.values()].flat();
  }

  /** The operation for a route, or a FhirError (404 unknown, 405 GET on a state-changing one). */
  find(route: Route, method: string): OperationDefinitionEntry {
    const level: OperationLevel = route.id ? 'instance' : route.resourceType ? 'type' : 'system';
    const name = route.operation ?? '';
    const entry = this.operations.get(name)?.find((candidate) => candidate.levels.includes(level)
      && (!route.resourceType || !candidate.resourceTypes || candidate.resourceTypes.includes(route.resourceType)));
    if (!entry) {
      const where = route.resourceType ? ` on ${route.resourceType}${route.id ? ' instances' : ''}` : '';
      throw new FhirError('not-found', 'rest.unknown-operation', `Unknown operation $${name}${where}`);
    }
    const isRead = method === 'GET' || method === 'HEAD';
    if (isRead && entry.affectsState) {
      throw new FhirError('not-allowed', 'rest.operation-needs-post', `$${name} changes data and must be invoked with POST`,
        { headers: { allow: 'POST' } });
    }
    if (!isRead && method !== 'POST') {
      throw new FhirError('not-allowed', 'rest.method-not-allowed', `$${name} is invoked with ${entry.affectsState ? 'POST' : 'GET or POST'}`,
        { headers: { allow: entry.affectsState ? 'POST' : 'GET, HEAD, POST' } });
    }
    return entry;
  }
}
