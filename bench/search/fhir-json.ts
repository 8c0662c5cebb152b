/**
 * The shapes the search benchmark's generator works with: a resource as a client would POST it
 * (with the id the generator assigned), and the small helpers that build its common parts.
 */

export interface FhirJson {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

export const reference = (type: string, id: string) => ({ reference: `${type}/${id}` });

export const codeable = (system: string, code: string, display?: string, text?: string) => ({
  coding: [display === undefined ? { system, code } : { system, code, display }],
  ...(text === undefined ? {} : { text }),
});

/** An instant without milliseconds: 2020-03-01T10:15:00Z. */
export const dateTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The letters of a name for an e-mail address: lower case, accents dropped, nothing but a-z. */
export const asciiName = (name: string) => name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');

export const DAY_MS = 86_400_000;
