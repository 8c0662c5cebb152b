/**
 * Which storage serves each resource type (the engine's StorageResolver). System types (the FHIR
 * definition types, FlintStorage, FlintApi and any a module adds) are always served from their
 * default tables. With auto-mount on, every other concrete type of the model is too, unless an API
 * names another storage for it; with auto-mount off, only the types that have an API are served. A
 * type the model does not know (its definition was deleted) is not served, whatever its API says.
 */
import type { FhirModel } from '../model/index.js';
import { defaultStorage, type ResourceStorage, type StorageResolver } from '../storage/index.js';
import type { PlatformRegistry } from './platform-registry.js';
import type { StorageRecord } from './platform-records.js';

export interface PlatformStoragesOptions {
  /** FLINT_ENABLE_API_AUTO_MOUNT. */
  autoMount: boolean;
  systemTypes: Iterable<string>;
}

function recordStorage(resourceType: string, record: StorageRecord): ResourceStorage {
  return { resourceType, table: record.tableName, historyTable: record.history && record.historyTableName ? record.historyTableName : null };
}

export class PlatformStorages implements StorageResolver {
  readonly autoMount: boolean;
  private readonly systemTypes: Set<string>;
  private active = new Map<string, ResourceStorage>();
  private modelRevision = -1;
  private registryRevision = -1;

  constructor(private readonly model: FhirModel, private readonly registry: PlatformRegistry, options: PlatformStoragesOptions) {
    this.autoMount = options.autoMount;
    this.systemTypes = new Set(options.systemTypes);
  }

  /** Declares a type every server needs: always served, from its default tables, never reconfigured. */
  addSystemType(resourceType: string): void {
    this.systemTypes.add(resourceType);
    this.modelRevision = -1;
  }

  isSystemType(resourceType: string): boolean {
    return this.systemTypes.has(resourceType);
  }

  /** The storage an API names for a type, when the API and its storage are known. */
  private explicitStorage(resourceType: string): ResourceStorage | undefined {
    const api = this.registry.allApis().find((candidate) => candidate.resourceType === resourceType);
    const record = api ? this.registry.storage(api.storageId) : undefined;
    return record ? recordStorage(resourceType, record) : undefined;
  }

  /**
   * Where a type will be stored once the model knows it (tables are made before it is served):
   * its API's storage, else its default storage when it is a system type or auto-mount is on.
   */
  plannedStorage(resourceType: string): ResourceStorage | undefined {
    if (this.systemTypes.has(resourceType)) return defaultStorage(resourceType);
    return this.explicitStorage(resourceType) ?? (this.autoMount ? defaultStorage(resourceType) : undefined);
  }

  private refresh(): void {
    if (this.modelRevision === this.model.revision && this.registryRevision === this.registry.revision) return;
    const next = new Map<string, ResourceStorage>();
    const keep = (storage: ResourceStorage) => {
      const previous = this.active.get(storage.resourceType);
      const same = previous && previous.table === storage.table && previous.historyTable === storage.historyTable;
      next.set(storage.resourceType, same ? previous : storage);
    };
    const mounted = this.autoMount ? this.model.resourceTypes() : [...this.systemTypes].filter((type) => this.model.isResourceType(type));
    for (const type of mounted) keep(defaultStorage(type));
    for (const api of this.registry.allApis()) {
      if (this.systemTypes.has(api.resourceType) || !this.model.isResourceType(api.resourceType)) continue;
      const storage = this.explicitStorage(api.resourceType);
      if (storage) keep(storage);
    }
    this.active = next;
    this.modelRevision = this.model.revision;
    this.registryRevision = this.registry.revision;
  }

  storageFor(resourceType: string): ResourceStorage | undefined {
    this.refresh();
    return this.active.get(resourceType);
  }

  allStorages(): ResourceStorage[] {
    this.refresh();
    return [...this.active.values()];
  }
}
