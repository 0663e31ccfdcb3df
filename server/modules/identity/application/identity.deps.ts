import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { Clock } from '../../../shared/time/clock.js';
import type { Logger } from '../../../shared/logging/logger.js';
import type { PasswordPolicy } from '../domain/password-policy.js';
import type { SessionPolicy } from '../domain/session-policy.js';
import type { ThrottlePolicy } from '../domain/login-throttle.policy.js';
import type { LoginThrottleRepository } from './login-throttle.repository.port.js';
import type { PasswordHasher } from './password-hasher.port.js';
import type { SessionRepository } from './session.repository.port.js';
import type { UserRepository } from './user.repository.port.js';

/** The repositories a transaction (or a read) of identity sees. */
export interface IdentityRepos {
  users: UserRepository;
  sessions: SessionRepository;
  throttle: LoginThrottleRepository;
}

/** Everything the use-cases need, wired once by the module. */
export interface IdentityDeps {
  uow: UnitOfWork<IdentityRepos>;
  hasher: PasswordHasher;
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
