import type { DomainEvent } from '../../../shared/events/domain-event.js';

export type SessionsEndedReason = 'logout' | 'password_changed' | 'user_disabled' | 'session_limit';

/**
 * Sessions ended on the server. `identity.realtime.ts` closes the sockets these sessions opened.
 * @example
 * { type: 'identity.sessions_ended', payload: { userId, sessionIds: ['…'], reason: 'user_disabled' } }
 */
export type SessionsEndedPayload = {
  userId: string;
  sessionIds: string[];
  reason: SessionsEndedReason;
};

export type SessionsEnded = DomainEvent<'identity.sessions_ended', SessionsEndedPayload>;

export const SESSIONS_ENDED = 'identity.sessions_ended' as const;
