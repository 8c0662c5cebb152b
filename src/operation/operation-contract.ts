/**
 * The operation contract (http://hl7.org/fhir/R4/operations.html): what an operation is, in the
 * words of its OperationDefinition (code, url, affectsState, system/type/instance, resource,
 * parameter), what it needs from the host that runs it (the request, the route, the transaction)
 * and its handler. Every module that offers an operation declares it with these types; the
 * engine's registry is the host that dispatches to it.
 */
import type { QueryParams, Resource, RowRules } from '../core/index.js';
import type { OperationInput } from './operation-input.js';
import type { OperationParameter } from './operation-parameter.js';
import type { ParameterErrors } from './operation-errors.js';

/** OperationDefinition.system, .type and .instance as one list. */
export type OperationLevel = 'system' | 'type' | 'instance';

/** What an operation reads of the request the host received. */
export interface OperationRequest {
  method: string;
  query: QueryParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The parsed body: a Parameters resource, another resource, or nothing. */
  body?: unknown;
  /** The rows the caller may see (core/row-rules.ts); an operation that reads stored rows honours them. */
  rows?: RowRules;
}

/** Where the operation was invoked: [base]/$op, [base]/Type/$op or [base]/Type/id/$op. */
export interface OperationRoute {
  resourceType?: string;
  id?: string;
}

/** What every host gives an operation; a host may give more (the engine adds its context). */
export interface BasicOperationCall {
  request: OperationRequest;
  route: OperationRoute;
  /** Set inside a transaction Bundle: the operation must use it (and may write through it). */
  tx?: unknown;
}

export interface OperationAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Resource;
}

/** One operation: its definition, and its handler, which gets the input already read and checked. */
export interface OperationContract<Call extends BasicOperationCall = BasicOperationCall, Answer extends OperationAnswer = OperationAnswer> {
  /** OperationDefinition.code: the name after the $. */
  name: string;
  levels: OperationLevel[];
  /** OperationDefinition.resource: the types of the type and instance levels (all types when absent). */
  resourceTypes?: string[];
  /** OperationDefinition.affectsState: when true, only POST invokes it. */
  affectsState: boolean;
  /** OperationDefinition.url, for the CapabilityStatement. */
  definition?: string;
  /** OperationDefinition.parameter with use "in": what the reader accepts, and nothing else (none when absent). */
  parameters?: readonly OperationParameter[];
  /** The codes the input's errors carry, when the operation's module has its own (see operation-errors.ts). */
  parameterErrors?: ParameterErrors;
  /**
   * Query parameters the definition does not name belong to the operation (the search of
   * $explain) instead of being refused as unknown.
   */
  openQuery?: boolean;
  handler(call: Call, input: OperationInput): Promise<Answer>;
}

/** The host of operations, as a module that only offers operations needs to see it. */
export interface OperationHost {
  register(contract: OperationContract): void;
}
