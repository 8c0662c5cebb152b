/**
 * FHIR operations ($name) at system, type and instance level
 * (http://hl7.org/fhir/R4/operations.html). Modules register their operations here as operation
 * contracts (src/operation/); the engine dispatches to them, reading and checking each call's input
 * against the operation's parameters first, and the CapabilityStatement lists them.
 */
import { readOperationInput, type OperationContract, type OperationLevel } from '../operation/index.js';
import type { WriteTx } from '../storage/index.js';
import type { EngineContext } from './engine-context.js';
import { engineErrors } from './engine-errors.js';
import type { FhirRequest, FhirResponse } from './fhir-request.js';
import type { Route } from './route.js';

export type { OperationLevel } from '../operation/index.js';

export interface OperationCall {
  ctx: EngineContext;
  request: FhirRequest;
  route: Route;
  /** Set inside a transaction Bundle: the operation must use it (and may write through it). */
  tx?: WriteTx;
}

/** An operation as the engine's modules declare it: its handler sees the engine's context. */
export type OperationDefinitionEntry = OperationContract<OperationCall, FhirResponse>;

/** A registered operation, ready to run: its input is read before its handler runs. */
export interface RegisteredOperation extends Omit<OperationDefinitionEntry, 'handler'> {
  handler(call: OperationCall): Promise<FhirResponse>;
}

function ready(contract: OperationDefinitionEntry): RegisteredOperation {
  return { ...contract, handler: async (call) => contract.handler(call, readOperationInput(contract, call.request)) };
}

export class OperationRegistry {
  private readonly operations = new Map<string, RegisteredOperation[]>();

  register(contract: OperationDefinitionEntry): void {
    const entries = this.operations.get(contract.name) ?? [];
    entries.push(ready(contract));
    this.operations.set(contract.name, entries);
  }

  all(): RegisteredOperation[] {
    return [...this.operations.values()].flat();
  }

  /** The operation for a route, or a FhirError (404 unknown, 405 GET on a state-changing one). */
  find(route: Route, method: string): RegisteredOperation {
    const level: OperationLevel = route.id ? 'instance' : route.resourceType ? 'type' : 'system';
    const name = route.operation ?? '';
    const entry = this.operations.get(name)?.find((candidate) => candidate.levels.includes(level)
      && (!route.resourceType || !candidate.resourceTypes || candidate.resourceTypes.includes(route.resourceType)));
    if (!entry) {
      const where = route.resourceType ? ` on ${route.resourceType}${route.id ? ' instances' : ''}` : '';
      throw engineErrors['rest.unknown-operation']({ name, where });
    }
    const isRead = method === 'GET' || method === 'HEAD';
    if (isRead && entry.affectsState) {
      throw engineErrors['rest.operation-needs-post']({ name }, { headers: { allow: 'POST' } });
    }
    if (!isRead && method !== 'POST') {
      throw engineErrors['rest.method-not-allowed']({ detail: `$${name} is invoked with ${entry.affectsState ? 'POST' : 'GET or POST'}` },
        { headers: { allow: entry.affectsState ? 'POST' : 'GET, HEAD, POST' } });
    }
    return entry;
  }
}
