import { InvalidCursor } from '../domain/identity.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque base64url cursor over (createdAt, id), the list's sort key. */
export function encodeUserCursor(position: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), id: position.id })).toString('base64url');
}

export function decodeUserCursor(cursor: string): { createdAt: Date; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  const { t, id } = (parsed ?? {}) as { t?: unknown; id?: unknown };
  if (typeof t !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursor();
  const createdAt = new Date(t);
  if (Number.isNaN(createdAt.getTime())) throw new InvalidCursor();
  return { createdAt, id };
}
