/** engine/audit — the hash-chained, signed audit trail every job writes to (see README.md for the threat model). */
export { AuditError, type AuditErrorCode } from './errors';
export { type AuditInput, type AuditEntry, type AuditQuery, type AuditVerification, AUDIT_GENESIS, appendAudit, listAudit, countAudit, auditKinds, auditEntriesNaming, auditHead, verifyAudit, auditEntryHash } from './audit';
