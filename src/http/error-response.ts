/**
 * Every error becomes an OperationOutcome with the right status: FhirErrors by their category,
 * Fastify's own errors (body too large, bad content type) by their meaning, anything else a 500
 * whose id is in the log and in the outcome.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { errorOutcome, FhirError, operationOutcome, STATUS_BY_CATEGORY, type OperationOutcome } from '../core/index.js';
import { translateDatabaseError } from '../db/index.js';
import { httpErrors } from './http-errors.js';

export interface ErrorAnswer {
  status: number;
  outcome: OperationOutcome;
  headers: Record<string, string>;
}

function fastifyError(error: { code?: string; statusCode?: number; message: string }): FhirError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return httpErrors['http.body-too-large']({ detail: 'The request body is larger than the server accepts' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return httpErrors['http.unsupported-media-type']({ detail: error.message });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return httpErrors['http.empty-body']({ detail: 'The request body is empty' });
    case 'FST_ERR_CTP_INVALID_TYPE':
      return httpErrors['http.bad-content-type']({ detail: error.message });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return httpErrors['http.bad-request']({ detail: error.message });
  }
  return undefined;
}

export function errorAnswer(error: unknown, log: FastifyBaseLogger): ErrorAnswer {
  const translated = translateDatabaseError(error);
  const known = translated instanceof FhirError ? translated
    : translated instanceof Error ? fastifyError(translated as never) : undefined;
  if (known) {
    return { status: STATUS_BY_CATEGORY[known.category], outcome: errorOutcome(known), headers: known.headers };
  }
  const errorId = randomUUID();
  log.error({ err: error, errorId }, 'unexpected error');
  return { status: 500, headers: {}, outcome: operationOutcome(httpErrors['http.internal-error']({ errorId }).issues, errorId) };
}
