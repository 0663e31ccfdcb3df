import { randomUUID } from 'node:crypto';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { assertTransition, type EnquiryStatus } from '../domain/enquiry-status.js';
import type { Enquiry } from '../domain/enquiry.entity.js';
import { EnquiryNotFound } from '../domain/enquiry.errors.js';
import type { EnquiryStatusChanged } from '../domain/enquiry.events.js';
import type { EnquiryDeps } from './enquiry.deps.js';

export interface AdvanceEnquiry {
  enquiryId: string;
  to: EnquiryStatus;
  reason: string;
}

export interface StaffActor {
  userId: string;
  email: string;
  role: string;
}

/**
 * Moves an enquiry along its status flow, under a row lock, with an audit entry and an
 * `enquiry.status_changed` event in the same transaction.
 */
export async function advanceEnquiryStatus(
  deps: EnquiryDeps,
  cmd: AdvanceEnquiry,
  meta: { now: Date; requestId: string; actor: StaffActor },
): Promise<Enquiry> {
  return deps.uow.run(async ({ enquiries, appendEvent }) => {
    const current = await enquiries.findById(cmd.enquiryId, { forUpdate: true });
    if (!current) throw new EnquiryNotFound();
    assertTransition(current.status, cmd.to);
    const updated = await enquiries.updateStatus(current.id, cmd.to, meta.now);
    await enquiries.insertAudit({
      id: randomUUID(),
      enquiryId: current.id,
      actorId: meta.actor.userId,
      actorEmail: meta.actor.email,
      from: current.status,
      to: cmd.to,
      reason: cmd.reason.trim(),
      at: meta.now.toISOString(),
    });
    const payload: EnquiryStatusChanged['payload'] = {
      enquiryId: current.id,
      from: current.status,
      to: cmd.to,
      reason: cmd.reason.trim(),
      changedBy: meta.actor.userId,
    };
    await appendEvent(
      domainEvent('enquiry.status_changed', payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: { kind: 'user', id: meta.actor.userId, role: meta.actor.role },
      }),
    );
    return updated;
  });
}
