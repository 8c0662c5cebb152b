/**
 * Resource ids (http://hl7.org/fhir/R4/datatypes.html#id): the id form, and server-assigned ids.
 */
import { randomUUID } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/** A new server-assigned id: a random UUID, which is also a valid FHIR id. */
export function newResourceId(): string {
  return randomUUID();
}
