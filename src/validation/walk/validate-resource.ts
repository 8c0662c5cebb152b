/**
 * A resource in the walk (top level, contained, or nested in a Bundle or Parameters): its type,
 * its id, the profiles it claims in meta.profile (and any the caller names), then its body
 * against its base definition and those profiles together.
 */
import { FhirError, isJsonObject, isValidId, type JsonObject } from '../../core/index.js';
import { constraintRoots, type CompiledDefinition } from '../schema/compiled-definition.js';
import type { ElementRule } from '../schema/element-rule.js';
import { STRUCTURE_CODES, structureIssue } from '../structure-issues.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { bundleScope, checkBundle, parametersScope } from './check-bundle.js';
import { checkContainedReferenced } from './check-contained.js';
import { checkResourceRules } from './check-resource-rules.js';
import { validateNode } from './validate-node.js';
import { report, type WalkContext } from './walk-context.js';

/** Resolves a profile for the walk, reporting an unknown or broken one. */
export function resolveProfile(walk: WalkContext, canonical: string, path: string): CompiledDefinition | undefined {
  try {
    const definition = walk.registry.resolve(canonical);
    if (!definition) {
      report(walk, walk.settings.unknownProfile, walk.settings.unknownProfile === 'error' ? 'not-found' : 'not-supported', CODES.profileUnknown,
        `The profile ${canonical} is not known to this server, so the resource was not validated against it`, path);
    }
    return definition;
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    report(walk, 'error', 'processing', CODES.profileInvalid, `The profile ${canonical} cannot be used: ${error.message}`, path);
    return undefined;
  }
}

function claimedProfiles(resource: JsonObject): string[] {
  const meta = resource.meta;
  if (!isJsonObject(meta) || !Array.isArray(meta.profile)) return [];
  return meta.profile.filter((profile): profile is string => typeof profile === 'string');
}

function profileRules(walk: WalkContext, resource: JsonObject, type: string, extra: readonly string[], path: string): ElementRule[] {
  const rules: ElementRule[] = [];
  for (const canonical of new Set([...claimedProfiles(resource), ...extra])) {
    const definition = resolveProfile(walk, canonical, path);
    if (!definition) continue;
    if (definition.type !== type) {
      report(walk, 'error', 'invalid', CODES.profileType, `The profile ${canonical} is for ${definition.type}, not ${type}`, path);
      continue;
    }
    rules.push(...constraintRoots(definition));
  }
  return rules;
}

function baseRules(walk: WalkContext, type: string, path: string): ElementRule[] {
  try {
    const root = walk.registry.baseRoot(type);
    return root ? [root] : [];
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    report(walk, 'error', 'processing', CODES.profileInvalid, error.message, path);
    return [];
  }
}

/**
 * Validates a resource at `path` ('' for the top). `contained`: a contained resource, whose
 * %rootResource stays the container.
 */
export function validateResource(walk: WalkContext, value: unknown, path: string, profiles: readonly string[] = [], contained = false): void {
  if (!isJsonObject(value)) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.notAnObject, 'A resource must be a JSON object', path));
    return;
  }
  const resourceType = value.resourceType;
  const type = typeof resourceType === 'string' ? walk.model.getType(resourceType) : undefined;
  if (!type || type.kind !== 'resource') {
    walk.issues.push(structureIssue(STRUCTURE_CODES.unknownType, `Unknown resourceType ${JSON.stringify(resourceType)}`, `${path}.resourceType`.replace(/^\./, '')));
    return;
  }
  if (type.abstract) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.abstractType, `${resourceType} is abstract and cannot be instantiated`, path || String(resourceType)));
    return;
  }
  const here = path || type.name;
  if (value.id !== undefined && !isValidId(value.id)) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.invalidId, `${JSON.stringify(value.id)} is not a valid id`, `${here}.id`, 'value'));
  }
  const full = !walk.settings.structureOnly;
  const rules = full ? [...baseRules(walk, type.name, here), ...profileRules(walk, value, type.name, profiles, here)] : [];
  const saved = { resource: walk.resource, rootResource: walk.rootResource, bundle: walk.bundle, localReferences: walk.localReferences, currentContained: walk.currentContained };
  walk.resource = value;
  if (!contained) {
    walk.rootResource = value;
    walk.localReferences = { values: new Set(), toContainer: new Set() };
  } else walk.currentContained = value;
  if (full) checkResourceRules(walk, value, here, type.elements.get('url')?.types[0]?.code === 'uri');
  if (full && type.name === 'Bundle') {
    walk.bundle = bundleScope(value);
    checkBundle(walk, value, here);
  } else if (full && type.name === 'Parameters') walk.bundle = parametersScope(value);
  try {
    validateNode(walk, value, { container: type, rules, path: here, elementPath: type.name, definitionPath: type.name, type: type.name }, true);
    if (rules.some((rule) => rule.walkConstraints?.includes('dom-3'))) checkContainedReferenced(walk, value, here);
  } finally {
    Object.assign(walk, saved);
  }
}

export function validateNestedResource(walk: WalkContext, value: unknown, path: string, contained: boolean): void {
  validateResource(walk, value, path, [], contained);
}
