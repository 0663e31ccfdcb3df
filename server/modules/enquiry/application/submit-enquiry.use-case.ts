import { randomUUID } from 'node:crypto';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { DUPLICATE_WINDOW_MS, duplicateKey, type Enquiry } from '../domain/enquiry.entity.js';
import type { EnquiryReceived } from '../domain/enquiry.events.js';
import type { EnquiryDeps } from './enquiry.deps.js';

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
  deps: EnquiryDeps,
  cmd: SubmitEnquiry,
  meta: { now: Date; requestId: string },
): Promise<SubmitEnquiryResult> {
  const key = duplicateKey(cmd.email, cmd.message);
  return deps.uow.run(async ({ enquiries, appendEvent }) => {
    await enquiries.lockDuplicateKey(key);
    const existing = await enquiries.findDuplicateSince(
      key,
      new Date(meta.now.getTime() - DUPLICATE_WINDOW_MS),
    );
    if (existing) return { enquiry: existing, duplicate: true };
    const enquiry = await enquiries.insert({
      id: randomUUID(),
      name: cmd.name.trim(),
      email: cmd.email.trim(),
      phone: cmd.phone?.trim() || null,
      message: cmd.message.trim(),
      preferredContact: cmd.preferredContact ?? null,
      duplicateKey: key,
      at: meta.now,
    });
    await enquiries.insertAudit({
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
    await appendEvent(
      domainEvent('enquiry.received', payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: { kind: 'guest', id: 'site' },
      }),
    );
    return { enquiry, duplicate: false };
  });
}
