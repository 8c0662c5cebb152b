/**
 * "If any resource identities (including resolved identities from conditional update/delete)
 * overlap in steps 1-3, then the transaction SHALL fail" (http://hl7.org/fhir/R4/http.html#trules):
 * the resource each DELETE, PUT and PATCH entry changes, conditional URLs resolved by their search,
 * may appear in one entry only. POST entries make new resources (or match one and change nothing).
 */
import { invalid, queryValue, withoutParams } from '../../core/index.js';
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { conditionalMatches } from '../interactions/conditional-match.js';
import type { ParsedEntry } from './bundle-entries.js';

/** Type/id of the resources a DELETE, PUT or PATCH entry changes; conditional ones by their matches. */
async function changedResources(ctx: EngineContext, tx: WriteTx, entry: ParsedEntry): Promise<string[]> {
  const [type, id] = entry.path.split('/');
  if (entry.method !== 'DELETE' && entry.method !== 'PUT' && entry.method !== 'PATCH') return [];
  if (id !== undefined) return [`${type}/${id}`];
  const query = entry.request.query;
  if (query.length === 0) return [];
  const multiple = entry.method === 'DELETE' && queryValue(query, '_multiple') === 'true';
  const criteria = entry.method === 'DELETE' ? withoutParams(query, ['_multiple']) : query;
  const matches = await conditionalMatches(ctx, tx, type, criteria, multiple ? ctx.config.conditionalDeleteMax + 1 : 2);
  return matches.map((match) => `${type}/${match.resource.id}`);
}

/** The resources the entries change so far; a second entry changing one of them fails the transaction. */
export class EntryIdentities {
  private readonly owners = new Map<string, number>();

  async add(ctx: EngineContext, tx: WriteTx, entry: ParsedEntry): Promise<void> {
    for (const identity of await changedResources(ctx, tx, entry)) {
      const owner = this.owners.get(identity);
      if (owner !== undefined && owner !== entry.index) {
        throw invalid('transaction.duplicate-resource',
          `Bundle.entry[${owner}] and Bundle.entry[${entry.index}] both change ${identity}; a transaction changes each resource once`,
          { expression: `Bundle.entry[${entry.index}].request.url` });
      }
      this.owners.set(identity, entry.index);
    }
  }
}
