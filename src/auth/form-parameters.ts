/**
 * The parameters of an OAuth request body (RFC 6749 section 3.2: application/x-www-form-urlencoded).
 * A parameter given twice is refused (RFC 6749 section 3.1: "Request and response parameters MUST
 * NOT be included more than once"); an empty value counts as absent.
 */
import type { FastifyRequest } from 'fastify';
import { invalidRequest } from './oauth-error.js';

export type FormParameters = ReadonlyMap<string, string>;

const FORM = 'application/x-www-form-urlencoded';

/** The form body of a POST to an OAuth endpoint. */
export function formParameters(request: FastifyRequest): FormParameters {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== FORM || typeof request.body !== 'string') {
    throw invalidRequest(`The request body must be ${FORM}`);
  }
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(request.body)) {
    if (parameters.has(name)) throw invalidRequest(`The parameter ${name} is given more than once`);
    if (value !== '') parameters.set(name, value);
  }
  return parameters;
}

/** A parameter that must be there. */
export function requiredParameter(form: FormParameters, name: string): string {
  const value = form.get(name);
  if (value === undefined) throw invalidRequest(`The parameter ${name} is required`);
  return value;
}
