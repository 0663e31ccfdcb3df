import { domainEvent } from '../../../shared/events/domain-event.js';
import {
  SESSIONS_ENDED,
  type SessionsEnded,
  type SessionsEndedReason,
} from '../domain/identity.events.js';
import type { Caller } from './identity.deps.js';

export function sessionsEnded(
  userId: string,
  sessionIds: string[],
  reason: SessionsEndedReason,
  caller: Caller,
): SessionsEnded {
  return domainEvent(
    SESSIONS_ENDED,
    { userId, sessionIds, reason },
    {
      at: caller.now,
      requestId: caller.requestId,
      ...(caller.actor
        ? { actor: { kind: 'user' as const, id: caller.actor.userId, role: caller.actor.role } }
        : {}),
    },
  );
}
