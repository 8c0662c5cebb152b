/**
 * The catalogue of the errors of HTTP itself: bodies that are not JSON or too large, media types
 * the server does not speak, repeated HTTP-only parameters, paths nothing is served at, and the
 * 500 of an unexpected error (its id is in the log and in the outcome).
 */
import { defineErrors, detail } from '../core/index.js';

export const httpErrors = defineErrors('http', {
  'http.malformed-json': { category: 'invalid', summary: 'The body is not valid JSON', message: detail },
  'http.empty-body': { category: 'invalid', summary: 'The request body is empty where a body is needed', message: detail },
  'http.body-too-large': { category: 'too-large', summary: 'The request body is larger than the server accepts', message: detail },
  'http.bad-content-type': { category: 'invalid', summary: 'The Content-Type header is malformed', message: detail },
  'http.unsupported-media-type': { category: 'unsupported-media-type', summary: 'The body\'s media type is not one the server reads', message: detail },
  'http.unsupported-format': { category: 'not-acceptable', summary: '_format names a format the server does not write', message: detail },
  'http.not-acceptable': { category: 'not-acceptable', summary: 'The Accept header allows no JSON form', message: detail },
  'http.repeated-parameter': { category: 'invalid', summary: 'An HTTP-only parameter (_format, _pretty...) is given more than once', message: detail },
  'http.bad-request': { category: 'invalid', summary: 'The HTTP request is malformed in another way the web framework refused', message: detail },
  'http.unknown-path': { category: 'not-found', summary: 'Nothing is served at the method and path', message: detail },
  'http.internal-error': {
    category: 'fault', summary: 'An unexpected error; its id is in the log and is the id of the OperationOutcome',
    message: (a: { errorId: string }) => `An unexpected error occurred; it is logged with id ${a.errorId}`,
  },
});
