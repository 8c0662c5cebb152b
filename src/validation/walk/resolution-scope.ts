/**
 * resolve() inside invariants and slicing discriminators (http://hl7.org/fhir/R4/fhirpath.html#functions): a reference
 * resolves to what is being validated with it — a contained resource of the resource ('#id', and
 * '#' to the container), or an entry of the Bundle or Parameters around it (by fullUrl, or by
 * Type/id) — and to nothing otherwise: no resource is fetched, so an invariant guarded for an empty
 * resolve() (ctm-1) passes for references outside. An invariant's evaluation is given the scope of
 * its own walk (resolutionScope), so validations never look in each other's resources.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import type { ResolutionScope } from '../schema/validation-functions.js';
import { resourcesNamed } from './check-bundle.js';
import type { WalkContext } from './walk-context.js';

function containedResource(walk: WalkContext, id: string): JsonObject | undefined {
  const root = walk.rootResource;
  if (id === '') return root;
  const contained = Array.isArray(root.contained) ? root.contained : [];
  return contained.find((resource): resource is JsonObject => isJsonObject(resource) && resource.id === id);
}

function bundleResource(walk: WalkContext, reference: string): JsonObject | undefined {
  const matches = walk.bundle ? resourcesNamed(walk.bundle, reference) : [];
  return matches.length === 1 ? matches[0] : undefined;
}

/** The resource a reference (a Reference or its reference string) names in the walk's scope, if any. */
export function resolveReference(walk: WalkContext, value: unknown): JsonObject | undefined {
  const reference = typeof value === 'string' ? value : isJsonObject(value) && typeof value.reference === 'string' ? value.reference : undefined;
  if (reference === undefined) return undefined;
  if (reference.startsWith('#')) return containedResource(walk, reference.slice(1));
  return bundleResource(walk, reference);
}

/** The scope an invariant evaluated in this walk resolves references in. */
export function resolutionScope(walk: WalkContext): ResolutionScope {
  return { resolve: (value) => resolveReference(walk, value) };
}
