import { randomUUID } from 'node:crypto';
import type { Db } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import { DUPLICATE_WINDOW_MS, duplicateKey, type Enquiry } from '../domain/enquiry.entity.js';
import type { EnquiryReceived } from '../domain/enquiry.events.js';
import type { EnquiryRepository } from './enquiry.repository.port.js';

export interface SubmitEnquiry {
  name: string;
  email: string;
  phone?: string;
  message: string;
  preferredContact?: 'email' | 'phone';
}

export interface SubmitEnquiryResult {
  enquiry: Enquiry;
  /** True when an identical submission within the window was returned instead of a new one. */
  duplicate: boolean;
}

/**
 * Stores a site enquiry with its first audit entry and an `enquiry.received` event, in one
 * transaction. An identical submission within ten minutes returns the first enquiry.
 */
export async function submitEnquiry(
  deps: { db: Db; repo: EnquiryRepository },
  cmd: SubmitEnquiry,
  meta: { now: Date; requestId: string },
): Promise<SubmitEnquiryResult> {
  const key = duplicateKey(cmd.email, cmd.message);
  return deps.db.tx(async (tx) => {
    await deps.repo.lockDuplicateKey(tx, key);
    const existing = await deps.repo.findDuplicateSince(
      tx,
      key,
      new Date(meta.now.getTime() - DUPLICATE_WINDOW_MS),
    );
    if (existing) return { enquiry: existing, duplicate: true };
    const enquiry = await deps.repo.insert(tx, {
      id: randomUUID(),
      name: cmd.name.trim(),
      email: cmd.email.trim(),
      phone: cmd.phone?.trim() || null,
      message: cmd.message.trim(),
      preferredContact: cmd.preferredContact ?? null,
      duplicateKey: key,
      at: meta.now,
    });
    await deps.repo.insertAudit(tx, {
      id: randomUUID(),
      enquiryId: enquiry.id,
      actorId: null,
      actorEmail: null,
      from: null,
      to: 'received',
      reason: null,
      at: enquiry.createdAt,
    });
    const payload: EnquiryReceived['payload'] = {
      enquiryId: enquiry.id,
      receivedAt: enquiry.createdAt,
    };
    await appendToOutbox(
      tx,
      domainEvent('enquiry.received', payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: { kind: 'guest', id: 'site' },
      }),
    );
    return { enquiry, duplicate: false };
  });
}
