import { isUniqueViolation, type Queryable } from '../../../shared/db/db.js';
import { EmailTaken } from '../domain/identity.errors.js';
import type { Role, UserStatus } from '../domain/role.js';
import type { User } from '../domain/user.entity.js';
import type {
  NewUser,
  UserPageQuery,
  UserRepository,
} from '../application/user.repository.port.js';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  status: UserStatus;
  password_hash: string;
  created_at: Date;
}

const COLUMNS = 'id, email, display_name, role, status, password_hash, created_at';

export function toUser(userRow: UserRow): User {
  return {
    id: userRow.id,
    email: userRow.email,
    displayName: userRow.display_name,
    role: userRow.role,
    status: userRow.status,
    passwordHash: userRow.password_hash,
    createdAt: userRow.created_at,
  };
}

const INSERT = `INSERT INTO users (id, email, display_name, role, status, password_hash, password_changed_at, created_at, updated_at)
  VALUES ($1, $2, $3, $4, 'active', $5, $6, $6, $6)`;

export function createUserRepository(db: Queryable): UserRepository {
  const params = (newUser: NewUser) => [
    newUser.id,
    newUser.email,
    newUser.displayName,
    newUser.role,
    newUser.passwordHash,
    newUser.createdAt,
  ];
  return {
    async findByEmail(normalizedEmail) {
      const result = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM users WHERE lower(email) = $1`,
        [normalizedEmail],
      );
      return result.rows[0] ? toUser(result.rows[0]) : null;
    },
    async findById(id) {
      const result = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return result.rows[0] ? toUser(result.rows[0]) : null;
    },
    async insert(user) {
      try {
        const result = await db.query<UserRow>(`${INSERT} RETURNING ${COLUMNS}`, params(user));
        return toUser(result.rows[0]!);
      } catch (err) {
        if (isUniqueViolation(err, 'users_email_lower_key')) throw new EmailTaken();
        throw err;
      }
    },
    async insertIfAbsent(user) {
      const result = await db.query(
        `${INSERT} ON CONFLICT ((lower(email))) DO NOTHING`,
        params(user),
      );
      return result.rowCount === 1;
    },
    async updatePasswordHash(id, passwordHash, at) {
      await db.query(
        'UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1',
        [id, passwordHash, at],
      );
    },
    async setStatus(id, status, at) {
      const result = await db.query<UserRow>(
        `UPDATE users SET status = $2, updated_at = CASE WHEN status = $2 THEN updated_at ELSE $3 END WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, status, at],
      );
      return result.rows[0] ? toUser(result.rows[0]) : null;
    },
    async page(userPageQuery: UserPageQuery) {
      const where: string[] = [];
      const values: unknown[] = [];
      if (userPageQuery.role) where.push(`role = $${values.push(userPageQuery.role)}`);
      if (userPageQuery.status) where.push(`status = $${values.push(userPageQuery.status)}`);
      if (userPageQuery.after)
        where.push(
          `(created_at, id) < ($${values.push(userPageQuery.after.createdAt)}, $${values.push(userPageQuery.after.id)})`,
        );
      const sql = `SELECT ${COLUMNS} FROM users ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id DESC LIMIT $${values.push(userPageQuery.limit)}`;
      const result = await db.query<UserRow>(sql, values);
      return result.rows.map(toUser);
    },
  };
}
