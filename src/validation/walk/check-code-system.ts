/**
 * Rules of CodeSystem beyond its definition (http://hl7.org/fhir/R4/codesystem.html): a complete
 * code system's count agrees with its concepts.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type WalkContext } from './walk-context.js';

/** Every concept, nested ones included, with its path. */
function* conceptsWithPaths(concepts: unknown, path: string): Generator<[JsonObject, string]> {
  if (!Array.isArray(concepts)) return;
  for (const [index, concept] of concepts.entries()) {
    if (!isJsonObject(concept)) continue;
    const here = `${path}.concept[${index}]`;
    yield [concept, here];
    yield* conceptsWithPaths(concept.concept, here);
  }
}

function checkCount(walk: WalkContext, resource: JsonObject, path: string): void {
  if (resource.content !== 'complete' || typeof resource.count !== 'number') return;
  const actual = [...conceptsWithPaths(resource.concept, path)].length;
  if (actual !== resource.count) {
    report(walk, 'error', 'invalid', CODES.definition, `The code system is complete, but it has ${actual} concepts, not the stated count ${resource.count}`, `${path}.count`);
  }
}

export function checkCodeSystem(walk: WalkContext, resource: JsonObject, path: string): void {
  checkCount(walk, resource, path);
}
