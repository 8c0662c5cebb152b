/**
 * Checks the shape of a ViewDefinition (JSON types, required elements, names usable as SQL
 * identifiers, at most one of forEach / forEachOrNull / repeat per select) and reads it into a
 * View. What the FHIRPath expressions mean is checked later, by the compiler. Every problem is a
 * 422 naming its place, e.g. `ViewDefinition.select[1].forEach`.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import { viewError } from '../sof-errors.js';
import type { View, ViewColumn, ViewConstant, ViewSelect, ViewWhere } from './view-types.js';

/** SQL on FHIR's sql-name invariant: usable as a table or column name in any database. */
export const SQL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_NAME_BYTES = 63;

const CONSTANT_TYPES = new Set([
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer',
  'oid', 'string', 'positiveInt', 'time', 'unsignedInt', 'uri', 'url', 'uuid',
]);

const STRUCTURE_DEFINITION = 'http://hl7.org/fhir/StructureDefinition/';

/** The forms of temporal constant values (FHIR's date, dateTime, instant and time). */
export const TEMPORAL_FORMS: Readonly<Record<string, RegExp>> = {
  date: /^\d{4}(-\d{2}(-\d{2})?)?$/,
  dateTime: /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/,
  instant: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  time: /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/,
};

/** Whether a constant value has the JSON type and form of its FHIR type. */
function validConstant(type: string, value: unknown): boolean {
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'decimal') return typeof value === 'number' && Number.isFinite(value);
  if (type === 'integer' || type === 'positiveInt' || type === 'unsignedInt') {
    return typeof value === 'number' && Number.isSafeInteger(value) && (type === 'integer' || value >= (type === 'positiveInt' ? 1 : 0));
  }
  if (typeof value !== 'string') return false;
  return TEMPORAL_FORMS[type] ? TEMPORAL_FORMS[type].test(value) : value !== '';
}

function invalid(location: string, problem: string) {
  return viewError('sof.invalid-view', problem, location);
}

function optionalString(object: JsonObject, key: string, location: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(`${location}.${key}`, 'must be a non-empty string');
  return value;
}

function requiredString(object: JsonObject, key: string, location: string): string {
  const value = optionalString(object, key, location);
  if (value === undefined) throw invalid(`${location}.${key}`, 'is required');
  return value;
}

function list(object: JsonObject, key: string, location: string): { item: unknown; location: string }[] {
  const value = object[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${location}.${key}`, 'must be an array');
  return value.map((item, index) => ({ item, location: `${location}.${key}[${index}]` }));
}

function objectAt(entry: { item: unknown; location: string }): JsonObject {
  if (!isJsonObject(entry.item)) throw invalid(entry.location, 'must be an object');
  return entry.item;
}

export function checkSqlName(name: string, location: string): string {
  if (!SQL_NAME.test(name) || Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw viewError('sof.invalid-name', `"${name}" is not a valid name: letters, digits and _, starting with a letter, at most 63 bytes`, location);
  }
  return name;
}

function readColumn(entry: { item: unknown; location: string }): ViewColumn {
  const column = objectAt(entry);
  const name = checkSqlName(requiredString(column, 'name', entry.location), `${entry.location}.name`);
  const path = requiredString(column, 'path', entry.location);
  const collection = column.collection;
  if (collection !== undefined && typeof collection !== 'boolean') throw invalid(`${entry.location}.collection`, 'must be true or false');
  const type = optionalString(column, 'type', entry.location);
  const tags = list(column, 'tag', entry.location).map((tag) => {
    const object = objectAt(tag);
    return { name: requiredString(object, 'name', tag.location), value: requiredString(object, 'value', tag.location) };
  });
  return {
    location: entry.location, name, path, collection: collection === true, tags,
    ...(type ? { type: type.startsWith(STRUCTURE_DEFINITION) ? type.slice(STRUCTURE_DEFINITION.length) : type } : {}),
  };
}

function readRepeat(select: JsonObject, location: string): string[] | undefined {
  if (select.repeat === undefined) return undefined;
  const paths = list(select, 'repeat', location);
  if (paths.length === 0) throw invalid(`${location}.repeat`, 'must name at least one expression');
  return paths.map((entry) => {
    if (typeof entry.item !== 'string' || entry.item === '') throw invalid(entry.location, 'must be a non-empty string');
    return entry.item;
  });
}

function readSelect(entry: { item: unknown; location: string }): ViewSelect {
  const select = objectAt(entry);
  const { location } = entry;
  const forEach = optionalString(select, 'forEach', location);
  const forEachOrNull = optionalString(select, 'forEachOrNull', location);
  const repeat = readRepeat(select, location);
  if ([forEach, forEachOrNull, repeat].filter((value) => value !== undefined).length > 1) {
    throw invalid(location, 'may have only one of forEach, forEachOrNull and repeat');
  }
  const result: ViewSelect = {
    location,
    columns: list(select, 'column', location).map(readColumn),
    select: list(select, 'select', location).map(readSelect),
    unionAll: list(select, 'unionAll', location).map(readSelect),
    ...(forEach !== undefined ? { forEach } : {}),
    ...(forEachOrNull !== undefined ? { forEachOrNull } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
  };
  if (result.columns.length === 0 && result.select.length === 0 && result.unionAll.length === 0) {
    throw invalid(location, 'needs a column, a select or a unionAll');
  }
  return result;
}

function readConstant(entry: { item: unknown; location: string }): ViewConstant {
  const constant = objectAt(entry);
  const name = checkSqlName(requiredString(constant, 'name', entry.location), `${entry.location}.name`);
  const values = Object.keys(constant).filter((key) => key.startsWith('value'));
  const type = values.length === 1 ? values[0].slice(5, 6).toLowerCase() + values[0].slice(6) : undefined;
  const match = type === undefined ? undefined : [...CONSTANT_TYPES].find((candidate) => candidate.toLowerCase() === type.toLowerCase());
  const value = values.length === 1 ? constant[values[0]] : undefined;
  if (!match) throw viewError('sof.invalid-constant', `constant ${name} needs exactly one value[x] of a primitive type`, entry.location);
  if (!validConstant(match, value)) {
    throw viewError('sof.invalid-constant', `constant ${name}: ${JSON.stringify(value)} is not a valid ${match}`, `${entry.location}.${values[0]}`);
  }
  return { location: entry.location, name, type: match, value: value as string | number | boolean };
}

function readWhere(entry: { item: unknown; location: string }): ViewWhere {
  const where = objectAt(entry);
  return { location: `${entry.location}.path`, path: requiredString(where, 'path', entry.location) };
}

/** Reads a ViewDefinition (a resource, or the bare JSON of one as the test suite writes it). */
export function parseView(json: unknown): View {
  const root = 'ViewDefinition';
  if (!isJsonObject(json)) throw invalid(root, 'must be a JSON object');
  if (json.resourceType !== undefined && json.resourceType !== 'ViewDefinition') {
    throw invalid(`${root}.resourceType`, 'must be ViewDefinition');
  }
  const resource = requiredString(json, 'resource', root);
  const name = optionalString(json, 'name', root);
  if (name !== undefined) checkSqlName(name, `${root}.name`);
  const select = list(json, 'select', root).map(readSelect);
  if (select.length === 0) throw invalid(`${root}.select`, 'needs at least one select');
  const constants = list(json, 'constant', root).map(readConstant);
  const names = new Set<string>();
  for (const constant of constants) {
    if (names.has(constant.name)) throw viewError('sof.invalid-constant', `constant ${constant.name} is defined twice`, constant.location);
    names.add(constant.name);
  }
  return { resource, ...(name ? { name } : {}), constants, select, where: list(json, 'where', root).map(readWhere) };
}
