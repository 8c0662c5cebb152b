/**
 * Body parsers: FHIR JSON, plain JSON, JSON Patch, form-encoded search, and plain text for
 * operations that take SQL. Anything else is 415; malformed JSON is 400; too large is 413. JSON keeps
 * the written text of its decimals (core parseFhirJson).
 */
import type { FastifyInstance } from 'fastify';
import { FhirError, parseFhirJson } from '../core/index.js';
import { FHIR_JSON, FORM, JSON_PATCH, JSON_TYPE } from './media-types.js';
import { httpErrors } from './http-errors.js';

const JSON_TYPES = [FHIR_JSON, JSON_TYPE, JSON_PATCH, 'application/json+fhir'];

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return parseFhirJson(text);
  } catch (error) {
    if (error instanceof FhirError) throw error;
    throw httpErrors['http.malformed-json']({ detail: `The body is not valid JSON: ${(error as Error).message}` });
  }
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser(['text/plain', 'application/sql', 'text/sql'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(httpErrors['http.unsupported-media-type']({ detail: `Content-Type ${request.headers['content-type']} is not supported; send application/fhir+json` }), undefined);
  });
}
