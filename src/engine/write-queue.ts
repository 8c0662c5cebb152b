/**
 * The queue keys of writes (TransactionOptions.queue): transactions sharing a key run one after
 * another, each beginning after the previous one committed. A conditional write (create with
 * If-None-Exist, conditional update, patch and delete, alone or in a transaction Bundle) queues on
 * its type and normalised criteria, so that concurrent writers with the same criteria see each
 * other's result at every isolation level and at most one of them creates. A transaction Bundle also
 * queues on each resource it changes by id, so Bundles that change one resource wait for each other
 * instead of failing on a serialization conflict.
 */
import { parseQueryString, withoutParams, type QueryParams } from '../core/index.js';

const compareParams = ([a, x]: [string, string], [b, y]: [string, string]): number =>
  (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1);

/**
 * The key of a conditional write: the type and the criteria with their parameters sorted, as
 * given in a URL or in If-None-Exist (with or without "Type?"). _multiple chooses no match and is left out.
 */
export function conditionalKey(resourceType: string, criteria: string | QueryParams): string {
  const query = typeof criteria === 'string' ? parseQueryString(criteria.replace(/^.*\?/, '')) : criteria;
  const sorted = withoutParams(query, ['_multiple']).sort(compareParams);
  return `conditional:${resourceType}?${JSON.stringify(sorted)}`;
}

/** The key of a resource a transaction Bundle changes by id. */
export function resourceKey(resourceType: string, id: string): string {
  return `resource:${resourceType}/${id}`;
}
