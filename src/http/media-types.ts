/**
 * Content negotiation (http://hl7.org/fhir/R4/http.html#mime-type): JSON only, as
 * application/fhir+json or application/json, chosen by _format or Accept; _pretty indents.
 */
import { httpErrors } from './http-errors.js';

export const FHIR_JSON = 'application/fhir+json';
export const JSON_TYPE = 'application/json';
export const JSON_PATCH = 'application/json-patch+json';
export const FORM = 'application/x-www-form-urlencoded';

const FORMAT_ALIASES = new Map<string, string>([
  ['json', FHIR_JSON], ['application/fhir+json', FHIR_JSON], ['application/json', JSON_TYPE], ['application/json+fhir', FHIR_JSON],
]);

/** The ranges of an Accept header, most preferred first (q=0 dropped). */
export function acceptRanges(accept: string): { type: string; q: number }[] {
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((text) => text.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    return { type, q: q ? Number(q.slice(2)) : 1 };
  }).filter((range) => range.type && range.q > 0).sort((a, b) => b.q - a.q);
}

/** The media type of the response; 406 when the client accepts no JSON form. */
export function responseMediaType(format: string | undefined, accept: string | undefined): string {
  if (format !== undefined) {
    const chosen = FORMAT_ALIASES.get(format.toLowerCase());
    if (!chosen) throw httpErrors['http.unsupported-format']({ detail: `_format ${format} is not supported; use json` });
    return chosen;
  }
  if (!accept) return FHIR_JSON;
  for (const { type } of acceptRanges(accept)) {
    if (type === FHIR_JSON || type === 'application/json+fhir' || type === '*/*' || type === 'application/*') return FHIR_JSON;
    if (type === JSON_TYPE) return JSON_TYPE;
  }
  throw httpErrors['http.not-acceptable']({ detail: `No acceptable media type in "${accept}"; this server speaks JSON` });
}

/** The media type of a Content-Type header without parameters. */
export function baseMediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}
