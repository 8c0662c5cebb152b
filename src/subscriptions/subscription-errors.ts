/**
 * The subscriptions module's error catalogue: the change feed ($changes) and the delivery of
 * subscriptions (see core/error-catalogue.ts).
 */
import { defineErrors, detail } from '../core/index.js';

export const subscriptionErrors = defineErrors('subscriptions', {
  'changes.bad-version': {
    category: 'invalid',
    summary: '$changes version is not a position or a range of two positions (after,upTo)',
    message: detail,
  },
  'changes.bad-count': {
    category: 'invalid',
    summary: '$changes _count is not a whole number from 1 to the maximum',
    message: detail,
  },
});
