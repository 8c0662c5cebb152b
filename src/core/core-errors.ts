/**
 * The catalogue of the errors of input no module could store or walk, refused where it comes in
 * (input-text.ts, json-limits.ts): all 400. And rest.unknown-type (404), which the engine raises
 * for the URL's type and search for the types it is asked to search: declared here, below both.
 */
import { defineErrors, detail } from './error-catalogue.js';

export const coreErrors = defineErrors('core', {
  'request.nul-character': {
    category: 'invalid', summary: 'A URL segment, query parameter or JSON string holds a NUL character, which cannot be stored',
    message: (a: { where: string }) => `${a.where} holds a NUL character (\\u0000), which cannot be stored`,
  },
  'request.lone-surrogate': {
    category: 'invalid', summary: 'A JSON string holds an unpaired UTF-16 surrogate, which is not Unicode text',
    message: (a: { where: string }) => `${a.where} holds an unpaired UTF-16 surrogate, which is not Unicode text`,
  },
  'request.bad-escape': {
    category: 'invalid', summary: 'The URL has a malformed %-escape',
    message: detail,
  },
  'rest.unknown-type': {
    category: 'not-found', summary: 'The URL (or a search\'s _type) names a resource type the server does not serve',
    message: (a: { resourceType: string | undefined; atThisEndpoint?: boolean }) =>
      `Resource type ${a.resourceType} is not served${a.atThisEndpoint ? ' at this endpoint' : ''}`,
  },
  'json.too-deep': {
    category: 'invalid', summary: 'The JSON nests arrays and objects deeper than the server walks',
    message: (a: { maxDepth: number }) => `The JSON nests arrays and objects more than ${a.maxDepth} levels deep`,
  },
});
