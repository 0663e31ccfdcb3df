import { describe, expect, it } from 'vitest';
import { canTransition, ENQUIRY_STATUSES, type EnquiryStatus } from './enquiry-status.js';

const allowed: [EnquiryStatus, EnquiryStatus][] = [
  ['received', 'contacted'],
  ['received', 'closed'],
  ['contacted', 'converted'],
  ['contacted', 'closed'],
];

describe('enquiry status flow', () => {
  for (const from of ENQUIRY_STATUSES) {
    for (const to of ENQUIRY_STATUSES) {
      const want = allowed.some(([field, text]) => field === from && text === to);
      it(`when an enquiry moves ${from} -> ${to}, then it is ${want ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(want);
      });
    }
  }
});
