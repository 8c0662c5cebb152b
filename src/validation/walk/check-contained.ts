/**
 * dom-3, natively: every contained resource is referenced from elsewhere in the resource (a
 * reference, canonical, uri or url value "#id"), or refers to its container ("#"). The walk notes
 * those values as it meets them; the check runs when the resource is done. A contained resource
 * without an id passes, as the published expression lets it.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type WalkContext } from './walk-context.js';

const URI_TYPES = new Set(['uri', 'url', 'canonical', 'oid', 'uuid']);

/** Notes a value the walk meets, when it is a local reference. */
export function noteLocalReference(walk: WalkContext, type: string, elementName: string, ownerType: string, value: string): void {
  const references = walk.localReferences;
  if (!references || value.charCodeAt(0) !== 35) return;
  const isReference = elementName === 'reference' && ownerType === 'Reference';
  if (!isReference && !URI_TYPES.has(type)) return;
  references.values.add(value);
  if (value === '#' && walk.currentContained && (isReference || type === 'canonical')) references.toContainer.add(walk.currentContained);
}

export function checkContainedReferenced(walk: WalkContext, resource: JsonObject, path: string): void {
  const references = walk.localReferences;
  if (!references || !Array.isArray(resource.contained)) return;
  const unreferenced = resource.contained.filter((contained) => isJsonObject(contained) && typeof contained.id === 'string'
    && !references.values.has(`#${contained.id}`) && !references.toContainer.has(contained));
  if (unreferenced.length === 0) return;
  report(walk, 'error', 'invariant', CODES.invariant,
    `Constraint failed: dom-3: 'If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource' (unreferenced: ${unreferenced.map((contained) => (contained as JsonObject).id).join(', ')})`, path);
}
