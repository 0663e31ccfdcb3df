import { InvalidEnquiryTransition } from './enquiry.errors.js';

export const ENQUIRY_STATUSES = ['received', 'contacted', 'converted', 'closed'] as const;
export type EnquiryStatus = (typeof ENQUIRY_STATUSES)[number];

/** received -> contacted -> converted; received or contacted -> closed. converted and closed are final. */
const NEXT: Readonly<Record<EnquiryStatus, readonly EnquiryStatus[]>> = {
  received: ['contacted', 'closed'],
  contacted: ['converted', 'closed'],
  converted: [],
  closed: [],
};

export function canTransition(from: EnquiryStatus, to: EnquiryStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(from: EnquiryStatus, to: EnquiryStatus): void {
  if (!canTransition(from, to)) throw new InvalidEnquiryTransition(from, to);
}
