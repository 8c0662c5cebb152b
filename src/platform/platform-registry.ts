/**
 * The storages and APIs this process serves from: the applied versions of the FlintStorage and
 * FlintApi resources, kept in step by live metadata (at start, at commit, and on every other
 * process through NOTIFY). The revision changes with every change so resolvers can cache.
 */
import type { Resource } from '../core/index.js';
import { apiRecord, storageRecord, type ApiRecord, type StorageRecord } from './platform-records.js';

export class PlatformRegistry {
  private readonly storages = new Map<string, StorageRecord>();
  private readonly apis = new Map<string, ApiRecord>();
  revision = 0;

  applyStorage(id: string, resource: Resource | undefined): void {
    if (resource) this.storages.set(id, storageRecord(id, resource));
    else this.storages.delete(id);
    this.revision++;
  }

  applyApi(id: string, resource: Resource | undefined): void {
    if (resource) this.apis.set(id, apiRecord(id, resource));
    else this.apis.delete(id);
    this.revision++;
  }

  storage(storageId: string): StorageRecord | undefined {
    return this.storages.get(storageId);
  }

  allApis(): ApiRecord[] {
    return [...this.apis.values()];
  }

  allStorages(): StorageRecord[] {
    return [...this.storages.values()];
  }
}
