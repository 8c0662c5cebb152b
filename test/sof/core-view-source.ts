/**
 * The model with ViewDefinition and the default storage of every type (the auto-mount layout), for
 * tests that compile views without a server.
 */
import { loadCoreModel, type FhirModel } from '../../src/model/index.js';
import { addViewDefinitionType, type ViewSource } from '../../src/sof/index.js';
import { defaultStorage, type StorageResolver } from '../../src/storage/index.js';

export interface CoreViewSource {
  model: FhirModel;
  storages: StorageResolver;
  source: ViewSource;
}

export async function coreViewSource(): Promise<CoreViewSource> {
  const model = await loadCoreModel();
  addViewDefinitionType(model);
  const storages: StorageResolver = {
    storageFor: (type) => (model.isResourceType(type) ? defaultStorage(type) : undefined),
    allStorages: () => model.resourceTypes().map(defaultStorage),
  };
  return { model, storages, source: { model, tableOf: (type) => storages.storageFor(type)?.table } };
}
