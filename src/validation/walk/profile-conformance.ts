/**
 * Does a value conform to a profile? A separate walk of the value against the profile, used by
 * profile discriminators; conforming means no error.
 */
import { isJsonObject } from '../../core/index.js';
import { constraintRoots } from '../schema/compiled-definition.js';
import { validateNode } from './validate-node.js';
import { validateResource } from './validate-resource.js';
import type { WalkContext } from './walk-context.js';

export function conformsTo(walk: WalkContext, value: unknown, profile: string): boolean {
  let definition;
  try {
    definition = walk.registry.resolve(profile);
  } catch {
    return false;
  }
  if (!definition || !isJsonObject(value)) return false;
  const sub: WalkContext = { ...walk, issues: [], references: [] };
  if (typeof value.resourceType === 'string') {
    validateResource(sub, value, '', [profile]);
  } else {
    const container = walk.model.getType(definition.type);
    if (!container) return false;
    const root = walk.registry.baseRoot(definition.type);
    const rules = [...(root ? [root] : []), ...constraintRoots(definition)];
    validateNode(sub, value, { container, rules, path: definition.type, elementPath: definition.type, definitionPath: definition.type, type: definition.type }, false);
  }
  return !sub.issues.some((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}
