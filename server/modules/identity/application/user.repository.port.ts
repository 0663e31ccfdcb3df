import type { Role, UserStatus } from '../domain/role.js';
import type { User } from '../domain/user.entity.js';

export interface NewUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface UserPageQuery {
  role?: Role;
  status?: UserStatus;
  after?: { createdAt: Date; id: string };
  limit: number;
}

export interface UserRepository {
  findByEmail(normalizedEmail: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  /** Throws `EmailTaken` on a duplicate (case-insensitive) e-mail. */
  insert(user: NewUser): Promise<User>;
  /** Inserts unless the e-mail exists; true when inserted. */
  insertIfAbsent(user: NewUser): Promise<boolean>;
  updatePasswordHash(id: string, passwordHash: string, at: Date): Promise<void>;
  setStatus(id: string, status: UserStatus, at: Date): Promise<User | null>;
  page(query: UserPageQuery): Promise<User[]>;
}
