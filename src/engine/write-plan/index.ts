/**
 * Write plans: every create, update, patch and delete (conditional or not) is planned from its
 * request as data, then run by one executor, so single requests and transaction Bundles share
 * every rule (the match rule and its errors, the queue keys, the preconditions, the versions).
 */
export type { CreatePlan, DeletePlan, PatchPlan, UpdatePlan, WritePlan, WriteTarget, Preconditions, PatchDocument } from './write-plan.js';
export { matchRule, planQueueKeys, targetedId } from './write-plan.js';
export { planWrite } from './plan-write.js';
export { resolveWrite, type Resolution } from './resolve-write.js';
export { runWritePlan, validatePlan, writeResolved } from './run-write-plan.js';
