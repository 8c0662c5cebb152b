/**
 * The platform: storages and APIs as data. It adds its own resource types to the model, resolves
 * where each type is served from (auto-mount, system types, APIs), makes FlintStorage and FlintApi
 * live metadata, provides the operations (the only way to change them), and makes the tables types need.
 */
import type { Resource } from '../core/index.js';
import { withSchemaLock, type Database } from '../db/index.js';
import type { EngineContext, OperationRegistry } from '../engine/index.js';
import { METADATA_TYPES, type MetadataSync } from '../metadata/index.js';
import type { FhirModel, StructureDefinition } from '../model/index.js';
import { raw } from '../sql/index.js';
import { provisionTables, type TableIndexes } from '../storage/index.js';
import { API_OPERATIONS } from './api-operations.js';
import { PLATFORM_PARAMETER_ERRORS, platformErrors } from './platform-errors.js';
import { PlatformRegistry } from './platform-registry.js';
import { PlatformWriteGuard } from './platform-rules.js';
import { PlatformStorages } from './platform-storages.js';
import { API_TYPE_INDEX_DDL } from './record-store.js';
import type { RuleContext } from './resolve-definition.js';
import { STORAGE_OPERATIONS } from './storage-operations.js';
import { addPlatformTypes, FLINT_API, FLINT_STORAGE, PLATFORM_DEFINITIONS } from './system-types.js';

export interface PlatformOptions {
  db: Database;
  model: FhirModel;
  /** FLINT_ENABLE_API_AUTO_MOUNT: serve every resource type of the model without an API. */
  autoMount: boolean;
  /** The indexes a new table gets (the default search indexes). */
  tableIndexes?: TableIndexes;
  /** More types served whatever the APIs say (the identity types), beside the platform's own. */
  systemTypes?: readonly string[];
}

const PLATFORM_URLS = new Set(PLATFORM_DEFINITIONS.map((definition) => definition.url));

/** The platform's own types are defined by Flint; a StructureDefinition cannot replace them. */
function protectPlatformTypes(resource: Resource): void {
  const definition = resource as StructureDefinition;
  if (PLATFORM_URLS.has(definition.url) || ((definition.type === FLINT_STORAGE || definition.type === FLINT_API) && definition.derivation !== 'constraint')) {
    throw platformErrors['platform.system-type']({ detail: `${definition.type} is defined by the server and cannot be redefined` }, { expression: 'StructureDefinition.type', issueType: 'processing' });
  }
}

export class Platform {
  readonly registry = new PlatformRegistry();
  readonly storages: PlatformStorages;
  private readonly rules: RuleContext;

  constructor(private readonly options: PlatformOptions) {
    addPlatformTypes(options.model);
    this.storages = new PlatformStorages(options.model, this.registry, {
      autoMount: options.autoMount,
      systemTypes: [...METADATA_TYPES, FLINT_STORAGE, FLINT_API, ...(options.systemTypes ?? [])],
    });
    this.rules = { model: options.model, storages: this.storages, tableIndexes: options.tableIndexes };
  }

  /** Creates the tables of every served type that are missing (announced first), and the platform's own index. */
  async provision(announce?: (missingTables: number) => void): Promise<number> {
    const created = await provisionTables(this.options.db, this.storages.allStorages(), this.options.tableIndexes, announce);
    await withSchemaLock(this.options.db, async (tx) => { await tx.query(raw(API_TYPE_INDEX_DDL)); });
    return created;
  }

  /** Makes the tables of a type the model is about to know (live metadata calls it first). */
  async prepareType(resourceType: string): Promise<void> {
    const storage = this.storages.plannedStorage(resourceType);
    if (storage) await provisionTables(this.options.db, [storage], this.options.tableIndexes);
  }

  /** Wires the platform into the engine: storages and APIs as live metadata, their rules and operations. */
  install(ctx: EngineContext, metadata: MetadataSync): void {
    metadata.register(FLINT_STORAGE, { apply: (id, resource) => this.registry.applyStorage(id, resource) });
    metadata.register(FLINT_API, {
      apply: async (id, resource) => {
        this.registry.applyApi(id, resource);
        // A type an API no longer names falls back to its default storage, whose tables may be missing.
        await provisionTables(this.options.db, this.storages.allStorages(), this.options.tableIndexes);
      },
    });
    metadata.addCheck('StructureDefinition', protectPlatformTypes);
    ctx.hooks.push(new PlatformWriteGuard());
    this.registerOperations(ctx.operations);
  }

  private registerOperations(operations: OperationRegistry): void {
    for (const operation of [...STORAGE_OPERATIONS, ...API_OPERATIONS]) {
      operations.register({
        name: operation.name,
        levels: ['system'],
        affectsState: operation.affectsState,
        parameters: operation.parameters,
        parameterErrors: PLATFORM_PARAMETER_ERRORS,
        handler: (call, input) => operation.run(call, input, this.rules),
      });
    }
  }
}
