/**
 * platform: storages and APIs as data (the seed's storage and API configuration). FlintStorage and
 * FlintApi resources say where each resource type is stored and whether it is served; the
 * $create/$configure/$list/$delete-storage and -api operations change them; auto-mount serves every
 * type of the model unless turned off; changes take effect on every server process through live
 * metadata. Also the init bundle run at start.
 */
export * from './platform.js';
export * from './platform-errors.js';
export * from './platform-records.js';
export * from './platform-registry.js';
export * from './platform-storages.js';
export * from './system-types.js';
export * from './table-names.js';
export * from './init-bundle.js';
export { storageParameters } from './storage-operations.js';
export { apiParameters } from './api-operations.js';
