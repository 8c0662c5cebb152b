/**
 * "If any resource identities (including resolved identities from conditional update/delete)
 * overlap in steps 1-3, then the transaction SHALL fail" (http://hl7.org/fhir/R4/http.html#trules):
 * the resource each DELETE, PUT and PATCH entry changes, conditional URLs resolved by their search,
 * may appear in one entry only. POST entries make new resources (or match one and change nothing).
 */
import type { WriteTx } from '../../storage/index.js';
import type { EngineContext } from '../engine-context.js';
import { engineErrors } from '../engine-errors.js';
import { conditionalMatches } from '../interactions/conditional-match.js';
import { matchRule } from '../write-plan/index.js';
import { targetPath, urlType, type TransactionStep } from './transaction-step.js';

/** Type/id of the resources an update, patch or delete step changes; unresolved conditional ones by their matches. */
async function changedResources(ctx: EngineContext, tx: WriteTx, step: TransactionStep): Promise<string[]> {
  const plan = step.plan;
  if (!plan || plan.kind === 'create') return [];
  const type = urlType(step);
  const path = plan.kind === 'delete' && plan.target.by === 'id' ? `${type}/${plan.target.id}` : targetPath(step);
  if (path !== undefined) return [path];
  const criteria = matchRule(plan);
  if (criteria === undefined || criteria.length === 0) return [];
  const multiple = plan.kind === 'delete' && plan.multiple;
  const matches = await conditionalMatches(ctx, tx, plan.request, type, criteria, multiple ? ctx.config.conditionalDeleteMax + 1 : 2);
  return matches.map((match) => `${type}/${match.resource.id}`);
}

/** The resources the entries change so far; a second entry changing one of them fails the transaction. */
export class EntryIdentities {
  private readonly owners = new Map<string, number>();

  async add(ctx: EngineContext, tx: WriteTx, step: TransactionStep): Promise<void> {
    const index = step.entry.index;
    for (const identity of await changedResources(ctx, tx, step)) {
      const owner = this.owners.get(identity);
      if (owner !== undefined && owner !== index) {
        throw engineErrors['transaction.duplicate-resource']({ owner, index, identity },
          { expression: `Bundle.entry[${index}].request.url` });
      }
      this.owners.set(identity, index);
    }
  }
}
