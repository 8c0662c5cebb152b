/**
 * Auto-mount: every concrete resource type of the model is served from its default storage (the
 * seed's tables, with history). Recomputed when the model's types change.
 */
import type { FhirModel } from '../model/index.js';
import { defaultStorage, type ResourceStorage, type StorageResolver } from './resource-storage.js';

export class AutoMountedStorages implements StorageResolver {
  private storages = new Map<string, ResourceStorage>();
  private revision = -1;

  constructor(private readonly model: FhirModel) {}

  private refresh(): void {
    if (this.revision === this.model.revision) return;
    const next = new Map<string, ResourceStorage>();
    for (const type of this.model.resourceTypes()) next.set(type, this.storages.get(type) ?? defaultStorage(type));
    this.storages = next;
    this.revision = this.model.revision;
  }

  storageFor(resourceType: string): ResourceStorage | undefined {
    this.refresh();
    return this.storages.get(resourceType);
  }

  allStorages(): ResourceStorage[] {
    this.refresh();
    return [...this.storages.values()];
  }
}
