/**
 * The text of a subscription filter or a topic's query criteria, read as a FHIR search query
 * (http://hl7.org/fhir/R4/search.html): an optional `Type?` prefix, then `name[:modifier]=value`
 * pairs joined by `&`, each value a comma-separated list of alternatives (`\,` keeps a comma).
 */
import { splitEscaped } from '../../search/index.js';

export interface QueryParameter {
  name: string;
  modifier?: string;
  /** The alternatives of the value (OR), unescaped. */
  values: string[];
}

export interface ParsedQuery {
  /** The resource type before `?`, when the text has one. */
  resourceType?: string;
  parameters: QueryParameter[];
}


/** Percent-decoding only: a `+` stays a plus (a filter is not a form; dates carry +hh:mm offsets). */
function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function readParameter(pair: string): QueryParameter | string {
  const at = pair.indexOf('=');
  if (at <= 0) return `"${pair}" is not name=value`;
  const key = decode(pair.slice(0, at));
  const value = decode(pair.slice(at + 1));
  if (key === undefined || value === undefined) return `"${pair}" is not correctly percent-encoded`;
  const [name, modifier, ...rest] = key.split(':');
  if (!name || rest.length > 0 || modifier === '') return `"${key}" is not a parameter name with at most one modifier`;
  if (value === '') return `"${key}" has no value`;
  return { name, ...(modifier ? { modifier } : {}), values: splitEscaped(value, ',') };
}

/** The query, or the reason it is not one. */
export function parseFilterQuery(text: string): ParsedQuery | string {
  const mark = text.indexOf('?');
  const resourceType = mark >= 0 ? text.slice(0, mark) : undefined;
  if (resourceType !== undefined && !/^[A-Z][A-Za-z0-9]*$/.test(resourceType)) return `"${resourceType}" before "?" is not a resource type`;
  const query = mark >= 0 ? text.slice(mark + 1) : text;
  if (query.trim() === '') return 'the query has no parameter';
  const parameters: QueryParameter[] = [];
  for (const pair of query.split('&')) {
    const parameter = readParameter(pair);
    if (typeof parameter === 'string') return parameter;
    parameters.push(parameter);
  }
  return { ...(resourceType ? { resourceType } : {}), parameters };
}
