import { backend } from '../lib/config.js';
import { call, createHttpClient } from '../lib/http-client.js';
import { ApiError } from '../lib/problem.js';
import {
  clearFormErrors,
  renderFormErrors,
  showFieldError,
  showFormMessage,
} from '../lib/form-errors.js';
import { announce } from '../lib/a11y/index.js';
import { newId } from '../lib/ids.js';
import { el } from '../ui/dom.js';
import { button, card, field, formStatus, successRegion, ui, uis } from '../ui/components.js';
import type { components } from '../../generated/v1/types.js';

type EnquirySubmission = components['schemas']['EnquirySubmission'];

const http = createHttpClient(backend.apiBase);

/** Client-side checks mirror the contract's hints; the server's answer is still the judge. */
export function checkNativeValidity(form: HTMLFormElement): boolean {
  let firstInvalid: HTMLElement | null = null;
  for (const el of Array.from(form.elements)) {
    if (!(
      el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement
    ))
      continue;
    if (!el.name || el.type === 'radio' || el.validity.valid) continue;
    const label =
      form.querySelector(`label[for="${el.id}"]`)?.firstChild?.textContent?.trim() ?? el.name;
    const message = el.validity.valueMissing
      ? `Please enter your ${label.toLowerCase().replace(/^your\s+/, '')}.`
      : el.validity.typeMismatch && el.type === 'email'
        ? 'Enter an email address like name@example.com.'
        : el.validationMessage;
    showFieldError(form, el, el.name, message);
    firstInvalid ??= el;
  }
  if (firstInvalid) {
    showFormMessage(form, 'Please correct the highlighted fields.');
    firstInvalid.focus();
    return false;
  }
  return true;
}

function enquiryForm(submit: HTMLButtonElement, done: HTMLElement): HTMLFormElement {
  return el(
    'form',
    {
      id: 'enquiry-form',
      class: ui('form'),
      novalidate: true,
      'aria-labelledby': 'enquire-title',
      'aria-describedby': 'enquire-intro',
    },
    formStatus(),
    field({
      label: 'Your name',
      name: 'name',
      required: true,
      autocomplete: 'name',
      maxlength: 200,
    }),
    field({
      label: 'Email',
      name: 'email',
      type: 'email',
      required: true,
      autocomplete: 'email',
      inputmode: 'email',
      hint: 'We reply by email unless you ask us to call.',
    }),
    field({ label: 'Phone', name: 'phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel' }),
    el(
      'fieldset',
      { class: ui('fieldset') },
      el(
        'legend',
        { class: ui('legend') },
        'How should we contact you? ',
        el('span', { class: ui('optional') }, '(optional)'),
      ),
      el(
        'div',
        { class: ui('radioRow') },
        el(
          'label',
          { class: ui('radio') },
          el('input', { type: 'radio', name: 'preferredContact', value: 'email' }),
          'Email',
        ),
        el(
          'label',
          { class: ui('radio') },
          el('input', { type: 'radio', name: 'preferredContact', value: 'phone' }),
          'Phone',
        ),
      ),
      el('p', { dataset: { errorFor: 'preferredContact' }, hidden: true }),
    ),
    field({
      label: 'Your message',
      name: 'message',
      required: true,
      multiline: true,
      maxlength: 5000,
      hint: 'Tell us how many people, how many days a week, and any allergies or goals.',
    }),
    el('div', { class: ui('actions') }, submit),
    done,
  );
}

function readSubmission(form: HTMLFormElement): EnquirySubmission {
  const data = new FormData(form);
  const text = (key: string): string => String(data.get(key) ?? '').trim();
  const body: EnquirySubmission = {
    name: text('name'),
    email: text('email'),
    message: text('message'),
  };
  if (text('phone')) body.phone = text('phone');
  const pref = text('preferredContact');
  if (pref === 'email' || pref === 'phone') body.preferredContact = pref;
  return body;
}

/** One key per distinct submission: a retry after a timeout cannot create a second enquiry. */
function idempotencyKeys(): { keyFor(body: EnquirySubmission): string; sent(): void } {
  let key = newId('enq');
  let lastBody = '';
  return {
    keyFor(body) {
      const serialized = JSON.stringify(body);
      if (serialized !== lastBody) {
        key = newId('enq');
        lastBody = serialized;
      }
      return key;
    },
    sent() {
      lastBody = '';
    },
  };
}

async function sendEnquiry(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  done: HTMLElement,
  keys: ReturnType<typeof idempotencyKeys>,
): Promise<void> {
  clearFormErrors(form);
  done.textContent = '';
  if (!checkNativeValidity(form)) return;
  const body = readSubmission(form);
  const idempotencyKey = keys.keyFor(body);
  submit.disabled = true;
  submit.textContent = 'Sending…';
  form.setAttribute('aria-busy', 'true');
  try {
    const receipt = await call(
      http.api.POST('/api/v1/site/enquiries', {
        body,
        params: { header: { 'Idempotency-Key': idempotencyKey } },
      }),
    );
    form.reset();
    keys.sent();
    const when = new Date(receipt.receivedAt);
    done.textContent = `Thank you, ${body.name}! We received your enquiry${Number.isNaN(when.getTime()) ? '' : ` at ${when.toLocaleTimeString(undefined, { timeStyle: 'short' })}`} and will be in touch by ${body.preferredContact === 'phone' ? 'phone' : 'email'} soon.`;
  } catch (err) {
    renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
    if (err instanceof ApiError && err.status === 429) announce(err.userMessage, 'assertive');
  } finally {
    submit.disabled = false;
    submit.textContent = 'Send enquiry';
    form.removeAttribute('aria-busy');
  }
}

export function enquirySection(text: (name: string) => string): HTMLElement {
  const done = successRegion();
  const submit = button('Send enquiry', { type: 'submit' });
  const form = enquiryForm(submit, done);
  const keys = idempotencyKeys();
  form.addEventListener('input', () => {
    done.textContent = '';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void sendEnquiry(form, submit, done, keys);
  });
  const formCard = card(form);
  formCard.classList.add(text('enquiryCard'));

  return el(
    'section',
    {
      id: 'enquire',
      class: text('section') + ' ' + text('sectionAlt'),
      'aria-labelledby': 'enquire-title',
    },
    el(
      'div',
      { class: uis('container') + ' ' + text('enquiryGrid') },
      el(
        'div',
        null,
        el('span', { class: ui('eyebrow') }, 'Enquire'),
        el('h2', { id: 'enquire-title', class: text('sectionTitle') }, 'Tell us about your week'),
        el(
          'p',
          { id: 'enquire-intro', class: ui('muted') },
          'Send us a few lines and a member of our team will get back to you, usually within one working day.',
        ),
        el(
          'ul',
          { class: text('contactList') },
          el('li', null, 'Prefer to talk now? Use the chat button at the bottom of the page.'),
          el('li', null, 'Already a client? Sign in to your client dashboard.'),
        ),
      ),
      formCard,
    ),
  );
}
