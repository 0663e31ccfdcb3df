import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An opaque random token: 32 bytes (256 bits) as base64url.
 * @example const sessionToken = randomToken();
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a token, as stored: the database never holds a usable session id. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Constant-time string comparison for secrets of possibly different length. */
export function safeEqual(left: string, right: string): boolean {
  const ha = createHash('sha256').update(left).digest();
  const hb = createHash('sha256').update(right).digest();
  return timingSafeEqual(ha, hb) && left.length === right.length;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
