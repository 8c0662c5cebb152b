/**
 * The write hook that keeps the audit log append-only: an update, patch or delete of an
 * AuditEvent through the engine is refused inside its transaction (405 audit.immutable), whoever
 * asks, so the write rolls back. The audit log itself stores its events directly (audit-store.ts),
 * never through the engine, so this hook never sees them; a client may still create AuditEvents
 * of its own (FHIR's way for an application to record what it did).
 */
import type { ResourceChange, WriteHook } from '../storage/index.js';
import { auditErrors } from './audit-errors.js';
import { AUDIT_EVENT } from './audit-store.js';

export class ImmutableAuditHook implements WriteHook {
  beforeCommit(change: ResourceChange): void {
    if (change.resourceType === AUDIT_EVENT && change.action !== 'create') {
      throw auditErrors['audit.immutable']({ action: change.action, id: change.id });
    }
  }
}
