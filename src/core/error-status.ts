/**
 * The HTTP status of each error category. It lives in core because batch and transaction responses
 * carry a status per entry; the http module uses the same table for whole responses.
 */
import type { ErrorCategory } from './fhir-error.js';

export const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  invalid: 400,
  unprocessable: 422,
  'not-found': 404,
  gone: 410,
  conflict: 409,
  'precondition-failed': 412,
  forbidden: 403,
  unauthorized: 401,
  'not-allowed': 405,
  'unsupported-media-type': 415,
  'not-acceptable': 406,
  'too-large': 413,
  'too-costly': 400,
  unsupported: 422,
  busy: 503,
  fault: 500,
};

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict',
  410: 'Gone', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** "201 Created", as Bundle.entry.response.status reads. */
export function statusLine(status: number): string {
  return REASONS[status] ? `${status} ${REASONS[status]}` : String(status);
}
