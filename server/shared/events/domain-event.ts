import { randomUUID } from 'node:crypto';

/** Who caused an event, as the contract's `Actor` schema says. */
export interface EventActor {
  kind: 'user' | 'guest' | 'system';
  id: string;
  role?: string;
}

/** The event envelope of DESIGN §4, the same shape as the contract's `EventEnvelope`. */
export interface DomainEvent<
  T extends string = string,
  P extends object = Record<string, unknown>,
> {
  id: string;
  type: T;
  occurredAt: string;
  schemaVersion: number;
  payload: P;
  metadata: { requestId?: string; correlationId?: string; actor?: EventActor };
}

/**
 * Builds an event with a fresh id.
 * @example
 * const event = domainEvent('enquiry.received', { enquiryId }, { at: clock.now(), requestId, actor });
 */
export function domainEvent<T extends string, P extends object>(
  type: T,
  payload: P,
  meta: {
    at: Date;
    requestId?: string;
    correlationId?: string;
    actor?: EventActor;
    schemaVersion?: number;
  },
): DomainEvent<T, P> {
  const metadata: DomainEvent['metadata'] = {};
  if (meta.requestId) metadata.requestId = meta.requestId;
  if (meta.correlationId) metadata.correlationId = meta.correlationId;
  if (meta.actor) metadata.actor = meta.actor;
  return {
    id: randomUUID(),
    type,
    occurredAt: meta.at.toISOString(),
    schemaVersion: meta.schemaVersion ?? 1,
    payload,
    metadata,
  };
}
