import type { Queryable } from '../../../shared/db/db.js';
import type {
  EnquiryFilter,
  EnquiryRepository,
  NewEnquiry,
} from '../application/enquiry.repository.port.js';
import type { EnquiryStatus } from '../domain/enquiry-status.js';
import type { Enquiry, EnquiryAuditEntry } from '../domain/enquiry.entity.js';

interface EnquiryRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  message: string;
  preferred_contact: 'email' | 'phone' | null;
  status: EnquiryStatus;
  created_at: Date;
  updated_at: Date;
}

interface AuditRow {
  id: string;
  enquiry_id: string;
  actor_id: string | null;
  actor_email: string | null;
  from_status: EnquiryStatus | null;
  to_status: EnquiryStatus;
  reason: string | null;
  at: Date;
}

const COLUMNS =
  'id, name, email, phone, message, preferred_contact, status, created_at, updated_at';

function toEnquiry(enquiryRow: EnquiryRow): Enquiry {
  return {
    id: enquiryRow.id,
    name: enquiryRow.name,
    email: enquiryRow.email,
    phone: enquiryRow.phone,
    message: enquiryRow.message,
    preferredContact: enquiryRow.preferred_contact,
    status: enquiryRow.status,
    createdAt: enquiryRow.created_at.toISOString(),
    updatedAt: enquiryRow.updated_at.toISOString(),
  };
}

function toAudit(auditRow: AuditRow): EnquiryAuditEntry {
  return {
    id: auditRow.id,
    enquiryId: auditRow.enquiry_id,
    actorId: auditRow.actor_id,
    actorEmail: auditRow.actor_email,
    from: auditRow.from_status,
    to: auditRow.to_status,
    reason: auditRow.reason,
    at: auditRow.at.toISOString(),
  };
}

/** The WHERE terms and their parameters for a list of enquiries (the limit is added last). */
function listFilter(enquiryFilter: EnquiryFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (enquiryFilter.status) add('status = ?', enquiryFilter.status);
  if (enquiryFilter.from) add('created_at >= ?', enquiryFilter.from);
  if (enquiryFilter.to) add('created_at < ?', enquiryFilter.to);
  if (enquiryFilter.after) {
    params.push(enquiryFilter.after.createdAt, enquiryFilter.after.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  return { where, params };
}

/** The enquiry repository on `q`: a transaction or the pool, as the unit of work binds it. */
export function createEnquiryRepository(queryable: Queryable): EnquiryRepository {
  return {
    async lockDuplicateKey(key) {
      await queryable.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 42))', [key]);
    },
    async findDuplicateSince(key, since) {
      const { rows } = await queryable.query<EnquiryRow>(
        `SELECT ${COLUMNS} FROM enquiries WHERE duplicate_key = $1 AND created_at >= $2 ORDER BY created_at ASC LIMIT 1`,
        [key, since],
      );
      return rows[0] ? toEnquiry(rows[0]) : null;
    },
    async insert(newEnquiry: NewEnquiry) {
      const { rows } = await queryable.query<EnquiryRow>(
        `INSERT INTO enquiries (id, name, email, phone, message, preferred_contact, status, duplicate_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $8) RETURNING ${COLUMNS}`,
        [
          newEnquiry.id,
          newEnquiry.name,
          newEnquiry.email,
          newEnquiry.phone,
          newEnquiry.message,
          newEnquiry.preferredContact,
          newEnquiry.duplicateKey,
          newEnquiry.at,
        ],
      );
      return toEnquiry(rows[0]!);
    },
    async findById(id, options = {}) {
      const { rows } = await queryable.query<EnquiryRow>(
        `SELECT ${COLUMNS} FROM enquiries WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ? toEnquiry(rows[0]) : null;
    },
    async list(enquiryFilter: EnquiryFilter) {
      const { where, params } = listFilter(enquiryFilter);
      params.push(enquiryFilter.limit);
      const { rows } = await queryable.query<EnquiryRow>(
        `SELECT ${COLUMNS} FROM enquiries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toEnquiry);
    },
    async updateStatus(id, status, at) {
      const { rows } = await queryable.query<EnquiryRow>(
        `UPDATE enquiries SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, status, at],
      );
      return toEnquiry(rows[0]!);
    },
    async insertAudit(enquiryAuditEntry) {
      await queryable.query(
        'INSERT INTO enquiry_audit (id, enquiry_id, actor_id, actor_email, from_status, to_status, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          enquiryAuditEntry.id,
          enquiryAuditEntry.enquiryId,
          enquiryAuditEntry.actorId,
          enquiryAuditEntry.actorEmail,
          enquiryAuditEntry.from,
          enquiryAuditEntry.to,
          enquiryAuditEntry.reason,
          enquiryAuditEntry.at,
        ],
      );
    },
    async listAudit(enquiryId) {
      const { rows } = await queryable.query<AuditRow>(
        'SELECT id, enquiry_id, actor_id, actor_email, from_status, to_status, reason, at FROM enquiry_audit WHERE enquiry_id = $1 ORDER BY position ASC',
        [enquiryId],
      );
      return rows.map(toAudit);
    },
  };
}
