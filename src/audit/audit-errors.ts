/**
 * The audit module's error catalogue: the audit log is append-only.
 */
import { defineErrors } from '../core/index.js';

export const auditErrors = defineErrors('audit', {
  'audit.immutable': {
    category: 'not-allowed',
    summary: 'AuditEvents are never changed or deleted through the API, by anyone (the audit log is append-only)',
    message: (a: { action: string; id: string }) => `AuditEvent/${a.id} cannot be ${a.action === 'delete' ? 'deleted' : 'changed'}: the audit log is append-only`,
  },
});
