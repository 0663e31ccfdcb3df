import { announce, focusElement } from '../../lib/a11y/index.js';
import type { components } from '../../../generated/v1/types.js';
import { canModerate, type ChatMessage, type TimelineItem } from '../../lib/chat-state.js';
import { el, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import { cls } from './chat-classes.js';
import type { PaneContext } from './pane-context.js';
import { errorText, moderationProblem, type ModerationMode } from './pane-logic.js';

export interface ModerationHooks {
  /** Draw the line as the message is (a form closed). */
  redraw(li: HTMLLIElement, item: TimelineItem): void;
  /** The server's message after an edit or a delete; returns the element to focus. */
  applied(updated: ChatMessage): HTMLElement;
}

type ModerationEntry = components['schemas']['ModerationEntry'];

interface FormFields {
  reason: HTMLInputElement;
  body: HTMLTextAreaElement;
  status: HTMLElement;
}

/**
 * Moderation in the timeline: edit and delete with a reason kept in the trail, and (admin) each
 * message's trail. A line with an open form or trail is busy, so live updates do not redraw it.
 */
export class Moderation {
  constructor(
    private readonly ctx: PaneContext,
    private readonly hooks: ModerationHooks,
  ) {}

  /** Edit, delete and history for a message I may moderate; history alone for a deleted one (admin). */
  actionsFor(li: HTMLLIElement, item: TimelineItem): HTMLElement | null {
    const { api, conv } = this.ctx;
    if (!item.messageId) return null;
    if (item.deleted)
      return api.moderationTrail
        ? el('div', { class: cls('msgActions') }, this.trailButton(li, item))
        : null;
    if (!canModerate(api.surface, conv.myRole)) return null;
    const edit = el('button', { type: 'button', class: cls('linkButton') }, 'Edit');
    const del = el('button', { type: 'button', class: cls('linkButton') }, 'Delete');
    edit.addEventListener('click', () => this.openForm(li, item, 'edit'));
    del.addEventListener('click', () => this.openForm(li, item, 'delete'));
    return el(
      'div',
      { class: cls('msgActions'), role: 'group', 'aria-label': 'Moderation' },
      edit,
      del,
      api.moderationTrail ? this.trailButton(li, item) : null,
    );
  }

  private trailButton(li: HTMLLIElement, item: TimelineItem): HTMLButtonElement {
    const { api, busy } = this.ctx;
    const btn = el(
      'button',
      { type: 'button', class: cls('linkButton'), 'aria-expanded': 'false' },
      'History',
    );
    btn.addEventListener('click', () => {
      const open = li.querySelector('[data-trail]');
      if (open) {
        open.remove();
        busy.delete(item.clientMessageId);
        btn.setAttribute('aria-expanded', 'false');
        return;
      }
      busy.add(item.clientMessageId);
      btn.setAttribute('aria-expanded', 'true');
      const list = el(
        'ol',
        { class: cls('trail'), dataset: { trail: '' }, 'aria-label': 'Moderation history' },
        el('li', null, 'Loading…'),
      );
      li.append(list);
      void api.moderationTrail!(item.messageId!).then(
        (entries) =>
          list.replaceChildren(
            ...(entries.length ? entries.map(trailEntry) : [el('li', null, 'No moderation yet.')]),
          ),
        (err: unknown) => list.replaceChildren(el('li', { role: 'alert' }, errorText(err))),
      );
    });
    return btn;
  }

  private openForm(li: HTMLLIElement, item: TimelineItem, mode: ModerationMode): void {
    this.ctx.busy.add(item.clientMessageId);
    const bodyId = uniqueId('mod-body');
    const reasonId = uniqueId('mod-reason');
    const formFields: FormFields = {
      body: el(
        'textarea',
        { id: bodyId, class: ui('input'), name: 'body', rows: 3, maxlength: 4000 },
        item.body ?? '',
      ),
      reason: el('input', {
        id: reasonId,
        class: ui('input'),
        name: 'reason',
        required: true,
        maxlength: 500,
        autocomplete: 'off',
      }),
      status: el('p', { role: 'alert', class: cls('empty') }),
    };
    const close = (): void => {
      this.ctx.busy.delete(item.clientMessageId);
      this.hooks.redraw(li, item);
      li.querySelector<HTMLButtonElement>('button')?.focus();
    };
    const edit = mode === 'edit';
    const form = el(
      'form',
      { class: cls('inlineForm'), 'aria-label': edit ? 'Edit message' : 'Delete message' },
      edit
        ? el('label', { class: ui('label'), for: bodyId }, 'New text')
        : el('p', { class: cls('body') }, item.body ?? ''),
      edit ? formFields.body : null,
      el('label', { class: ui('label'), for: reasonId }, 'Reason (kept in the moderation trail)'),
      formFields.reason,
      el(
        'div',
        { class: cls('row') },
        button(edit ? 'Save edit' : 'Delete message', {
          type: 'submit',
          small: true,
          variant: edit ? 'primary' : 'danger',
        }),
        button('Cancel', { variant: 'ghost', small: true, onClick: close }),
      ),
      formFields.status,
    );
    form.addEventListener('keydown', (keyboardEvent) => {
      if (keyboardEvent.key === 'Escape') {
        keyboardEvent.stopPropagation();
        close();
      }
    });
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      this.submit(item, mode, formFields);
    });
    li.replaceChildren(form);
    (edit ? formFields.body : formFields.reason).focus();
  }

  private submit(item: TimelineItem, mode: ModerationMode, formFields: FormFields): void {
    const { api, busy } = this.ctx;
    const why = formFields.reason.value.trim();
    const text = formFields.body.value.trim();
    const problem = moderationProblem(mode, why, text);
    if (problem) {
      formFields.status.textContent = problem.message;
      if (problem.field === 'reason') formFields.reason.setAttribute('aria-invalid', 'true');
      (problem.field === 'reason' ? formFields.reason : formFields.body).focus();
      return;
    }
    const action =
      mode === 'edit'
        ? api.editMessage(item.messageId!, text, why)
        : api.deleteMessage(item.messageId!, why);
    void action.then(
      (updated) => {
        busy.delete(item.clientMessageId);
        const target = this.hooks.applied(updated);
        announce(mode === 'edit' ? 'Message edited.' : 'Message deleted.');
        focusElement(target);
      },
      (err: unknown) => {
        formFields.status.textContent = errorText(err);
      },
    );
  }
}

function trailEntry(entry: ModerationEntry): HTMLLIElement {
  return el(
    'li',
    null,
    el('strong', null, entry.action === 'edit' ? 'Edited' : 'Deleted'),
    ` ${new Date(entry.at).toLocaleString()} — “${entry.reason}”`,
    entry.before !== null ? el('div', null, `Before: ${entry.before}`) : null,
  );
}
