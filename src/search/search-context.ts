/**
 * What search needs from the rest of Flint: the model (search parameters, element types), where
 * each type is stored, and the limits.
 */
import type { FhirModel } from '../model/index.js';
import type { StorageResolver } from '../storage/index.js';

export interface SearchLimits {
  defaultCount: number;
  maxCount: number;
  /** Statement timeout in milliseconds (0: none). */
  timeoutMs: number;
  /** The most terms (parameter values and _filter tests) one search may have. */
  maxTerms: number;
}

export interface SearchContext {
  model: FhirModel;
  storages: StorageResolver;
  limits: SearchLimits;
}
