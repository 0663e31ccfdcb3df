import type { EnquiryStatus } from './enquiry-status.js';

export interface Enquiry {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  message: string;
  preferredContact: 'email' | 'phone' | null;
  status: EnquiryStatus;
  createdAt: string;
  updatedAt: string;
}

export interface EnquiryAuditEntry {
  id: string;
  enquiryId: string;
  actorId: string | null;
  actorEmail: string | null;
  from: EnquiryStatus | null;
  to: EnquiryStatus;
  reason: string | null;
  at: string;
}

/** How long an identical submission (same e-mail and message) returns the first enquiry. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** The key two submissions share when they are the same enquiry: e-mail (case-folded) and message (trimmed). */
export function duplicateKey(email: string, message: string): string {
  return `${email.trim().toLowerCase()}\n${message.trim()}`;
}
