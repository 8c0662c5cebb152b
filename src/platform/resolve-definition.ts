/**
 * Resolves the canonical of a storage's StructureDefinition to the resource type it defines: among
 * the definitions written earlier in the same transaction (so one transaction Bundle can define a
 * type and store it), else in the model. Only concrete resource types that are not system types
 * can be stored.
 */
import type { Queryable } from '../db/index.js';
import type { ResourceChange, WriteTx } from '../storage/index.js';
import { definesType, splitCanonical, type FhirModel, type StructureDefinition } from '../model/index.js';
import { platformError } from './platform-errors.js';
import type { PlatformStorages } from './platform-storages.js';
import type { TableIndexes } from '../storage/index.js';

export interface RuleContext {
  model: FhirModel;
  storages: PlatformStorages;
  tableIndexes?: TableIndexes;
}

function versionMatches(definition: StructureDefinition, version: string | undefined): boolean {
  return version === undefined || definition.version === version || Boolean(definition.version?.startsWith(`${version}.`));
}

/** The StructureDefinition this transaction wrote for the canonical: found, deleted (null), or not touched (undefined). */
function pendingDefinition(changes: ResourceChange[], canonical: string): StructureDefinition | null | undefined {
  const { url, version } = splitCanonical(canonical);
  let found: StructureDefinition | null | undefined;
  for (const change of changes) {
    if (change.resourceType !== 'StructureDefinition') continue;
    const written = change.resource as StructureDefinition | undefined;
    const before = change.previous as StructureDefinition | undefined;
    if (written?.url === url && versionMatches(written, version)) found = written;
    else if (!written && before?.url === url) found = null;
  }
  return found;
}

function changesOf(tx: Queryable): ResourceChange[] {
  return (tx as Partial<WriteTx>).changes ?? [];
}

export function findDefinition(rules: RuleContext, tx: Queryable, canonical: string): StructureDefinition | undefined {
  const pending = pendingDefinition(changesOf(tx), canonical);
  if (pending !== undefined) return pending ?? undefined;
  return rules.model.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', canonical);
}

/** Whether the type is a concrete resource type, in the model or defined earlier in this transaction. */
export function isKnownResourceType(rules: RuleContext, tx: Queryable, type: string): boolean {
  if (rules.model.isResourceType(type)) return true;
  return changesOf(tx).some((change) => {
    const written = change.resource as StructureDefinition | undefined;
    return change.resourceType === 'StructureDefinition' && written?.type === type && definesType(written)
      && written.kind === 'resource' && !written.abstract;
  });
}

/** The resource type a storage's canonical defines, or a 422 naming the parameter. */
export function storedResourceType(rules: RuleContext, tx: Queryable, canonical: string, parameter: string): string {
  const definition = findDefinition(rules, tx, canonical);
  if (!definition) throw platformError('platform.unknown-canonical', parameter, `No StructureDefinition ${canonical} is known`);
  if (!definesType(definition) || definition.kind !== 'resource' || definition.abstract) {
    throw platformError('platform.not-a-resource-type', parameter, `${canonical} does not define a concrete resource type, so nothing can be stored for it`);
  }
  if (rules.storages.isSystemType(definition.type)) {
    throw platformError('platform.system-type', parameter, `${definition.type} is a system type: it is always stored in its default tables`);
  }
  return definition.type;
}
