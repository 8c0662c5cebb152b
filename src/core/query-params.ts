/**
 * Query parameters as an ordered list of pairs: repeated names are kept (a repeated search
 * parameter means AND), and order is preserved for paging links. A NUL character in a name or a
 * value is refused here (400), for every way a query comes in.
 */
import { rejectNulCharacter } from './input-text.js';

export type QueryParams = [string, string][];

export function queryValue(query: QueryParams, name: string): string | undefined {
  return query.find(([key]) => key === name)?.[1];
}

export function withoutParams(query: QueryParams, names: string[]): QueryParams {
  return query.filter(([key]) => !names.includes(key));
}

/** Query parameters from a URL query string (a=1&b=2), decoded. */
export function parseQueryString(search: string): QueryParams {
  const params: QueryParams = [];
  for (const [key, value] of new URLSearchParams(search)) {
    rejectNulCharacter(key, 'A query parameter name');
    rejectNulCharacter(value, `The value of ${key}`);
    params.push([key, value]);
  }
  return params;
}

export function encodeQuery(query: QueryParams): string {
  return query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}
