/**
 * Storages and APIs as the platform works with them, and as the resources that persist them:
 * FlintStorage {structureDefinition, storageType, tableName, history, historyTableName} and
 * FlintApi {type, storage: Reference(FlintStorage), apiTemplate}. The resource id is the
 * storageId or apiId.
 */
import type { JsonObject, Resource } from '../core/index.js';
import { FLINT_API, FLINT_STORAGE } from './system-types.js';

export interface StorageRecord {
  storageId: string;
  structureDefinition: string;
  storageType: string;
  tableName: string;
  history: boolean;
  historyTableName?: string;
}

export interface ApiRecord {
  apiId: string;
  /** The resource type served at /fhir/{resourceType}. */
  resourceType: string;
  storageId: string;
  apiTemplate: string;
}

const STORAGE_REFERENCE = /^FlintStorage\/([A-Za-z0-9\-.]{1,64})$/;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function storageResource(record: StorageRecord): Resource {
  return {
    resourceType: FLINT_STORAGE,
    id: record.storageId,
    structureDefinition: record.structureDefinition,
    storageType: record.storageType,
    tableName: record.tableName,
    history: record.history,
    ...(record.historyTableName !== undefined ? { historyTableName: record.historyTableName } : {}),
  };
}

/** The record a FlintStorage resource (or its stored JSON and id) holds; missing fields read as ''. */
export function storageRecord(id: string, body: JsonObject): StorageRecord {
  return {
    storageId: id,
    structureDefinition: text(body.structureDefinition),
    storageType: text(body.storageType),
    tableName: text(body.tableName),
    history: body.history === true,
    ...(typeof body.historyTableName === 'string' ? { historyTableName: body.historyTableName } : {}),
  };
}

export function apiResource(record: ApiRecord): Resource {
  return {
    resourceType: FLINT_API,
    id: record.apiId,
    type: record.resourceType,
    storage: { reference: `${FLINT_STORAGE}/${record.storageId}` },
    apiTemplate: record.apiTemplate,
  };
}

/** The storage id of a Reference(FlintStorage), or undefined when it is not one. */
export function storageIdOf(reference: unknown): string | undefined {
  const value = typeof reference === 'object' && reference !== null ? (reference as JsonObject).reference : undefined;
  return typeof value === 'string' ? STORAGE_REFERENCE.exec(value)?.[1] : undefined;
}

export function apiRecord(id: string, body: JsonObject): ApiRecord {
  return { apiId: id, resourceType: text(body.type), storageId: storageIdOf(body.storage) ?? '', apiTemplate: text(body.apiTemplate) };
}
