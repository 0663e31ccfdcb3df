/**
 * Enquiries: the site's request-access form and the admin inbox.
 * @example
 * const enquiry = createEnquiryModule({ db, clock });
 * const handlers = { ...enquiryHttp(enquiry) };
 */
export { createEnquiryModule, type EnquiryModule } from './enquiry.module.js';
export { enquiryHttp } from './transport/enquiry.http.js';
export type { EnquiryReceived, EnquiryStatusChanged } from './domain/enquiry.events.js';
export type { Enquiry, EnquiryAuditEntry } from './domain/enquiry.entity.js';
