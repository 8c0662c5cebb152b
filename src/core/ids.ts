/**
 * Resource ids (http://hl7.org/fhir/R4/datatypes.html#id): the id form, server-assigned ids, and
 * the form of the version ids Flint assigns.
 */
import { randomUUID } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

const MAX_VERSION_ID = 9223372036854775807n;

/** Whether the text can be a version id Flint assigned: a whole number that fits a bigint. */
export function isStoredVersionId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= MAX_VERSION_ID;
}

/** A new server-assigned id: a random UUID, which is also a valid FHIR id. */
export function newResourceId(): string {
  return randomUUID();
}
