import type { Clock } from '../../../shared/time/clock.js';
import type { Logger } from '../../../shared/logging/logger.js';
import type { PasswordPolicy } from '../domain/password-policy.js';
import type { SessionPolicy } from '../domain/session-policy.js';
import type { ThrottlePolicy } from '../domain/login-throttle.policy.js';
import type {
  IdentityTransactions,
  LoginThrottleRepository,
  PasswordHasher,
  SessionRepository,
  UserRepository,
} from './identity.ports.js';

/** Everything the use-cases need, wired once by the module. */
export interface IdentityDeps {
  users: UserRepository;
  sessions: SessionRepository;
  throttle: LoginThrottleRepository;
  hasher: PasswordHasher;
  transactions: IdentityTransactions;
  clock: Clock;
  log: Logger;
  passwordPolicy: PasswordPolicy;
  sessionPolicy: SessionPolicy;
  throttlePolicy: ThrottlePolicy;
}

/** The caller as a use-case needs to know it (a subset of the request context). */
export interface Caller {
  requestId: string;
  ip: string;
  userAgent: string | undefined;
  now: Date;
  actor: { userId: string; role: string; sessionId: string } | null;
}
