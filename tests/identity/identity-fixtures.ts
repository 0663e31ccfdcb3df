import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { ORIGINS, signIn, type SignedIn, type TestApp } from '../support/app.js';
import { typedClient } from '../support/typed-client.js';

export const PASSWORD = 'slow-cooked lentils on tuesday';

let counter = 0;
/** A fresh, unique e-mail for one test. */
export function email(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}.${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * A user written straight into the table, for roles no operation creates (clients, super_admin)
 * and for hashes with chosen argon2 parameters.
 */
export async function insertUser(
  testApp: TestApp,
  options: {
    email?: string;
    role?: 'client' | 'staff' | 'admin' | 'super_admin';
    password?: string;
    status?: 'active' | 'disabled';
    params?: { memoryCost: number; timeCost: number; parallelism: number };
    createdAt?: Date;
  } = {},
): Promise<{ id: string; email: string; password: string }> {
  const id = randomUUID();
  const address = options.email ?? email(options.role ?? 'client');
  const password = options.password ?? PASSWORD;
  const params = options.params ?? { memoryCost: 19456, timeCost: 2, parallelism: 1 };
  const passwordHash = await hash(password, { algorithm: 2 as never, ...params });
  const at = options.createdAt ?? testApp.clock.now();
  await testApp.app.db.query(
    `INSERT INTO users (id, email, display_name, role, status, password_hash, password_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)`,
    [
      id,
      address,
      'Test User',
      options.role ?? 'client',
      options.status ?? 'active',
      passwordHash,
      at,
    ],
  );
  return { id, email: address, password };
}

export async function storedHash(testApp: TestApp, userId: string): Promise<string> {
  const result = await testApp.app.db.query<{ password_hash: string }>(
    'SELECT password_hash FROM users WHERE id = $1',
    [userId],
  );
  return result.rows[0]!.password_hash;
}

/** Signs in through the typed client from address `ip` (X-Forwarded-For), keeping the answer. */
export function login(
  target: { baseUrl: string },
  surface: 'client' | 'admin',
  body: { email: string; password: string },
  ip?: string,
) {
  return typedClient(target.baseUrl, { origin: ORIGINS[surface] }, ip ? { ip } : {}).POST(
    `/api/v1/${surface}/auth/login`,
    { body: { email: body.email, password: body.password } },
  );
}

export function me(target: { baseUrl: string }, surface: 'client' | 'admin', cookie: string) {
  return typedClient(target.baseUrl, { cookie, origin: ORIGINS[surface] }).GET(
    `/api/v1/${surface}/auth/me`,
  );
}

export function logout(
  target: { baseUrl: string },
  surface: 'client' | 'admin',
  signedIn: SignedIn,
) {
  return typedClient(target.baseUrl, signedIn.headers()).POST(`/api/v1/${surface}/auth/logout`);
}

export function changePassword(
  target: { baseUrl: string },
  surface: 'client' | 'admin',
  signedIn: SignedIn,
  body: { currentPassword: string; newPassword: string },
) {
  return typedClient(target.baseUrl, signedIn.headers()).POST(`/api/v1/${surface}/auth/password`, {
    body,
  });
}

export async function sessionsEndedEvents(
  testApp: TestApp,
): Promise<Array<{ userId: string; sessionIds: string[]; reason: string }>> {
  const result = await testApp.app.db.query<{
    payload: { userId: string; sessionIds: string[]; reason: string };
  }>("SELECT payload FROM outbox WHERE type = 'identity.sessions_ended' ORDER BY position");
  return result.rows.map((row) => row.payload);
}

export { signIn, ORIGINS };
