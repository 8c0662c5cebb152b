/**
 * The queue keys of a transaction Bundle (see write-queue.ts), known from its planned entries before
 * the transaction begins: the keys of every write plan (the criteria of each conditional create,
 * update, patch and delete, the same keys the write takes alone), which make conditional writes
 * unique, and the resources it changes by id, which make Bundles that change one resource wait for
 * each other instead of conflicting. The latter only serve throughput, so a large Bundle leaves them
 * out rather than queue alone.
 */
import { MAX_QUEUE_KEYS } from '../../db/index.js';
import { planQueueKeys, targetedId } from '../write-plan/index.js';
import { resourceKey } from '../write-queue.js';
import type { TransactionStep } from './transaction-step.js';

function resourceStepKey(step: TransactionStep): string | undefined {
  const id = step.plan && targetedId(step.plan);
  return step.plan && id !== undefined ? resourceKey(step.plan.storage.resourceType, id) : undefined;
}

export function entryQueueKeys(steps: TransactionStep[]): string[] {
  const conditional = steps.flatMap((step) => (step.plan ? planQueueKeys(step.plan) : []));
  const resources = steps.map(resourceStepKey).filter((key): key is string => key !== undefined);
  return conditional.length + resources.length > MAX_QUEUE_KEYS ? conditional : [...conditional, ...resources];
}
