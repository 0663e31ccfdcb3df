import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { needsRehash, type HashParams } from '../domain/password-hash.js';
import type { PasswordHasher } from '../application/password-hasher.port.js';

// `Algorithm` is a const enum, which isolatedModules cannot inline; 2 is Argon2id.
const ARGON2ID = 2;

/** argon2id with the given parameters; a dummy hash of the same cost answers for unknown users. */
export function createArgon2Hasher(params: HashParams): PasswordHasher {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= hash(randomBytes(24).toString('base64url'), options as never));
  return {
    hash: (password) => hash(password, options as never),
    async verify(passwordHash, password) {
      const target = passwordHash ?? (await dummyHash());
      try {
        const ok = await verify(target, password);
        return passwordHash !== null && ok;
      } catch {
        return false;
      }
    },
    needsRehash: (passwordHash) => needsRehash(passwordHash, params),
  };
}
