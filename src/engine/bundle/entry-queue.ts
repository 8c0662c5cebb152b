/**
 * The queue keys of a transaction Bundle (see write-queue.ts), known from its entries before the
 * transaction begins: the criteria of every conditional entry (If-None-Exist, conditional PUT,
 * PATCH and DELETE), which make conditional writes unique, and the resources it changes by id,
 * which make Bundles that change one resource wait for each other instead of conflicting. The
 * latter only serve throughput, so a large Bundle leaves them out rather than queue alone.
 */
import { MAX_QUEUE_KEYS } from '../../db/index.js';
import { conditionalKey, resourceKey } from '../write-queue.js';
import type { ParsedEntry } from './bundle-entries.js';

const CHANGES = new Set(['PUT', 'PATCH', 'DELETE']);

function conditionalEntryKey(entry: ParsedEntry): string | undefined {
  const [type, id] = entry.path.split('/');
  const ifNoneExist = entry.request.headers['if-none-exist'];
  if (entry.method === 'POST' && id === undefined && ifNoneExist !== undefined) return conditionalKey(type, ifNoneExist);
  if (CHANGES.has(entry.method) && id === undefined && entry.request.query.length > 0) return conditionalKey(type, entry.request.query);
  return undefined;
}

function resourceEntryKey(entry: ParsedEntry): string | undefined {
  const [type, id, ...rest] = entry.path.split('/');
  return CHANGES.has(entry.method) && id !== undefined && rest.length === 0 ? resourceKey(type, id) : undefined;
}

export function entryQueueKeys(entries: ParsedEntry[]): string[] {
  const conditional = entries.map(conditionalEntryKey).filter((key): key is string => key !== undefined);
  const resources = entries.map(resourceEntryKey).filter((key): key is string => key !== undefined);
  return conditional.length + resources.length > MAX_QUEUE_KEYS ? conditional : [...conditional, ...resources];
}
