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

function toEnquiry(r: EnquiryRow): Enquiry {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    message: r.message,
    preferredContact: r.preferred_contact,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function toAudit(r: AuditRow): EnquiryAuditEntry {
  return {
    id: r.id,
    enquiryId: r.enquiry_id,
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    from: r.from_status,
    to: r.to_status,
    reason: r.reason,
    at: r.at.toISOString(),
  };
}

/** The enquiry repository on `q`: a transaction or the pool, as the unit of work binds it. */
export function createEnquiryRepository(q: Queryable): EnquiryRepository {
  return {
    async lockDuplicateKey(key) {
      await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 42))', [key]);
    },
    async findDuplicateSince(key, since) {
      const { rows } = await q.query<EnquiryRow>(
        `SELECT ${COLUMNS} FROM enquiries WHERE duplicate_key = $1 AND created_at >= $2 ORDER BY created_at ASC LIMIT 1`,
        [key, since],
      );
      return rows[0] ? toEnquiry(rows[0]) : null;
    },
    async insert(e: NewEnquiry) {
      const { rows } = await q.query<EnquiryRow>(
        `INSERT INTO enquiries (id, name, email, phone, message, preferred_contact, status, duplicate_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $8) RETURNING ${COLUMNS}`,
        [e.id, e.name, e.email, e.phone, e.message, e.preferredContact, e.duplicateKey, e.at],
      );
      return toEnquiry(rows[0]!);
    },
    async findById(id, options = {}) {
      const { rows } = await q.query<EnquiryRow>(
        `SELECT ${COLUMNS} FROM enquiries WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ? toEnquiry(rows[0]) : null;
    },
    async list(f: EnquiryFilter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (f.status) add('status = ?', f.status);
      if (f.from) add('created_at >= ?', f.from);
      if (f.to) add('created_at < ?', f.to);
      if (f.after) {
        params.push(f.after.createdAt, f.after.id);
        where.push(
          `(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(f.limit);
      const { rows } = await q.query<EnquiryRow>(
        `SELECT ${COLUMNS} FROM enquiries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toEnquiry);
    },
    async updateStatus(id, status, at) {
      const { rows } = await q.query<EnquiryRow>(
        `UPDATE enquiries SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, status, at],
      );
      return toEnquiry(rows[0]!);
    },
    async insertAudit(a) {
      await q.query(
        'INSERT INTO enquiry_audit (id, enquiry_id, actor_id, actor_email, from_status, to_status, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [a.id, a.enquiryId, a.actorId, a.actorEmail, a.from, a.to, a.reason, a.at],
      );
    },
    async listAudit(enquiryId) {
      const { rows } = await q.query<AuditRow>(
        'SELECT id, enquiry_id, actor_id, actor_email, from_status, to_status, reason, at FROM enquiry_audit WHERE enquiry_id = $1 ORDER BY position ASC',
        [enquiryId],
      );
      return rows.map(toAudit);
    },
  };
}
