/**
 * What interactions need from the rest of Flint, wired by the composition root (server.ts): the
 * database, the model, where each type is stored, settings, the validator, and the operations.
 */
import type { Issue, Resource } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { FhirModel } from '../model/index.js';
import type { IsolationLevel } from '../sql/index.js';
import type { ResourceChange, StorageResolver, WriteHook, WriteTx } from '../storage/index.js';
import type { FhirRequest, FhirResponse } from './fhir-request.js';
import type { OperationRegistry } from './operation-registry.js';
import type { RequestGuard } from './request-guard.js';
import type { WritePlan } from './write-plan/index.js';

export interface EngineConfig {
  /** The isolation level of writes unless a request lowers it (x-max-isolation-level). */
  defaultIsolation: IsolationLevel;
  /** Retries of a write transaction after a serialization failure, before answering 409. */
  transactionRetries: number;
  historyDefaultCount: number;
  historyMaxCount: number;
  searchDefaultCount: number;
  searchMaxCount: number;
  /** The most resources one conditional delete with _multiple=true may delete. */
  conditionalDeleteMax: number;
  /** Statement timeout of searches, in milliseconds (0: none). */
  searchTimeoutMs: number;
  /** The most terms (parameter values and _filter tests) one search may have. */
  searchMaxTerms: number;
  /** The most items of one array in a resource written (FLINT_MAX_ARRAY_LENGTH). */
  maxArrayLength: number;
  /** The most entries of a batch or transaction Bundle (FLINT_BUNDLE_MAX_ENTRIES). */
  bundleMaxEntries: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  defaultIsolation: 'serializable',
  transactionRetries: 5,
  historyDefaultCount: 100,
  historyMaxCount: 1000,
  searchDefaultCount: 20,
  searchMaxCount: 1000,
  conditionalDeleteMax: 1000,
  searchTimeoutMs: 30_000,
  searchMaxTerms: 500,
  maxArrayLength: 50_000,
  bundleMaxEntries: 50_000,
};

export type ValidationMode = 'create' | 'update' | 'delete';

/** What a validator is told about a write (or a $validate call). */
export interface ValidationRequest {
  mode: ValidationMode;
  /** Profiles to check besides meta.profile. */
  profiles?: string[];
  /** The request's headers (lower-case names), for switches a client sets per request. */
  headers?: Record<string, string | undefined>;
  /** Does Type/id exist (in the database, or among the resources the transaction writes)? */
  referenceExists?: (resourceType: string, id: string) => Promise<boolean>;
}

/** Checks a resource before it is written; returns every issue found (errors stop the write). */
export interface ResourceValidator {
  validate(resource: Resource, request: ValidationRequest): Promise<Issue[]> | Issue[];
}

/** The part of a logger the engine uses. */
export interface EngineLog {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/**
 * The audit log's hooks in the engine (src/audit implements them). Every request and Bundle entry
 * runs through `request`, which records it once it answered or failed (queued, written within a
 * second); a successful write is recorded by `write` inside the write's own transaction instead,
 * with the changes it made, so no write commits without its record and a rolled back one leaves none.
 */
export interface EngineAudit {
  request(request: FhirRequest, run: () => Promise<FhirResponse>): Promise<FhirResponse>;
  write(tx: WriteTx, plan: WritePlan, response: FhirResponse, changes: readonly ResourceChange[]): Promise<void>;
  /** Queues an event made elsewhere (sign-in, tokens, $sql). */
  record(event: Resource): void;
}

export interface EngineContext {
  db: Database;
  log: EngineLog;
  /** Resource write hooks (metadata refresh, notifications, ...), in order. */
  hooks: WriteHook[];
  /** Checks each request and Bundle entry must pass before it runs (request-guard.ts). */
  guards?: RequestGuard[];
  /**
   * The CapabilityStatement's rest.security for a FHIR base URL (the authorization server's
   * endpoints, SMART's oauth-uris extension); absent, the statement has none.
   */
  capabilitySecurity?: (baseUrl: string) => Record<string, unknown>;
  model: FhirModel;
  storages: StorageResolver;
  config: EngineConfig;
  validator: ResourceValidator;
  operations: OperationRegistry;
  /** The audit log (docs/audit.md); absent, nothing is recorded. */
  audit?: EngineAudit;
}
