/**
 * Enquiries: the site's request-access form and the admin inbox.
 * @example
 * const enquiry = createEnquiryModule({ db });
 * const handlers = { ...enquiry.http, ...otherHandlers };
 */
export {
  createEnquiryModule,
  type EnquiryModule,
  type EnquiryModuleDeps,
} from './enquiry.module.js';
export type { EnquiryReceived, EnquiryStatusChanged } from './domain/enquiry.events.js';
export type { Enquiry, EnquiryAuditEntry } from './domain/enquiry.entity.js';
