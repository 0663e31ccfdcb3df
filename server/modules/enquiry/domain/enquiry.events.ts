import type { EnquiryStatus } from './enquiry-status.js';

/** Published through the outbox when a site visitor's enquiry is stored. Carries no personal data. */
export interface EnquiryReceived {
  type: 'enquiry.received';
  payload: { enquiryId: string; receivedAt: string };
}

/** Published through the outbox on every status change. */
export interface EnquiryStatusChanged {
  type: 'enquiry.status_changed';
  payload: {
    enquiryId: string;
    from: EnquiryStatus;
    to: EnquiryStatus;
    reason: string;
    changedBy: string;
  };
}
