/**
 * The shape of the engine's operation registry as the validation operations need it, declared
 * here so validation does not depend on the engine; the composition root passes the registry.
 */
import type { Resource } from '../../core/index.js';

export interface OperationRequest {
  method: string;
  query: [string, string][];
  headers: Record<string, string | undefined>;
  body?: unknown;
}

export interface OperationRoute {
  resourceType?: string;
  id?: string;
}

export interface OperationCallShape {
  request: OperationRequest;
  route: OperationRoute;
  tx?: unknown;
}

export interface OperationAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Resource;
}

export interface OperationEntryShape {
  name: string;
  levels: ('system' | 'type' | 'instance')[];
  resourceTypes?: string[];
  affectsState: boolean;
  definition?: string;
  handler(call: OperationCallShape): Promise<OperationAnswer>;
}

export interface OperationHost {
  register(entry: OperationEntryShape): void;
}
