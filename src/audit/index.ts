/**
 * audit: the audit log (docs/audit.md). AuditEvents following IHE BALP for every interaction, the
 * sign-ins, tokens and $sql; writes recorded in their own transaction, everything else queued and
 * written within a second; stored as ordinary AuditEvent resources, append-only, optionally
 * forwarded to an external audit repository.
 */
export { AuditLog, installAudit, type AuditSettings } from './audit-log.js';
export { ImmutableAuditHook } from './immutable-audit-hook.js';
export { auditErrors } from './audit-errors.js';
export { restEvent, type RestEventFacts } from './audit-event.js';
export { interactionFacts } from './interaction-facts.js';
export { writeFacts } from './write-facts.js';
export { signInEvent, tokenIssuedEvent, revocationEvent } from './auth-events.js';
export { auditedSql } from './sql-event.js';
export { forwardBundle } from './audit-forwarder.js';
export { balpProfile, restSubtype } from './audit-codes.js';
export { patientsOfQuery, patientsOfResource } from './patient-subjects.js';
