import { announce, focusElement } from '../../lib/a11y/index.js';
import type { components } from '../../../generated/v1/types.js';
import { canModerate, type ChatMessage, type TimelineItem } from '../../lib/chat-state.js';
import { h, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import { c } from './chat-classes.js';
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
        ? h('div', { class: c('msgActions') }, this.trailButton(li, item))
        : null;
    if (!canModerate(api.surface, conv.myRole)) return null;
    const edit = h('button', { type: 'button', class: c('linkButton') }, 'Edit');
    const del = h('button', { type: 'button', class: c('linkButton') }, 'Delete');
    edit.addEventListener('click', () => this.openForm(li, item, 'edit'));
    del.addEventListener('click', () => this.openForm(li, item, 'delete'));
    return h(
      'div',
      { class: c('msgActions'), role: 'group', 'aria-label': 'Moderation' },
      edit,
      del,
      api.moderationTrail ? this.trailButton(li, item) : null,
    );
  }

  private trailButton(li: HTMLLIElement, item: TimelineItem): HTMLButtonElement {
    const { api, busy } = this.ctx;
    const btn = h(
      'button',
      { type: 'button', class: c('linkButton'), 'aria-expanded': 'false' },
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
      const list = h(
        'ol',
        { class: c('trail'), dataset: { trail: '' }, 'aria-label': 'Moderation history' },
        h('li', null, 'Loading…'),
      );
      li.append(list);
      void api.moderationTrail!(item.messageId!).then(
        (entries) =>
          list.replaceChildren(
            ...(entries.length ? entries.map(trailEntry) : [h('li', null, 'No moderation yet.')]),
          ),
        (err: unknown) => list.replaceChildren(h('li', { role: 'alert' }, errorText(err))),
      );
    });
    return btn;
  }

  private openForm(li: HTMLLIElement, item: TimelineItem, mode: ModerationMode): void {
    this.ctx.busy.add(item.clientMessageId);
    const bodyId = uniqueId('mod-body');
    const reasonId = uniqueId('mod-reason');
    const f: FormFields = {
      body: h(
        'textarea',
        { id: bodyId, class: ui('input'), name: 'body', rows: 3, maxlength: 4000 },
        item.body ?? '',
      ),
      reason: h('input', {
        id: reasonId,
        class: ui('input'),
        name: 'reason',
        required: true,
        maxlength: 500,
        autocomplete: 'off',
      }),
      status: h('p', { role: 'alert', class: c('empty') }),
    };
    const close = (): void => {
      this.ctx.busy.delete(item.clientMessageId);
      this.hooks.redraw(li, item);
      li.querySelector<HTMLButtonElement>('button')?.focus();
    };
    const edit = mode === 'edit';
    const form = h(
      'form',
      { class: c('inlineForm'), 'aria-label': edit ? 'Edit message' : 'Delete message' },
      edit
        ? h('label', { class: ui('label'), for: bodyId }, 'New text')
        : h('p', { class: c('body') }, item.body ?? ''),
      edit ? f.body : null,
      h('label', { class: ui('label'), for: reasonId }, 'Reason (kept in the moderation trail)'),
      f.reason,
      h(
        'div',
        { class: c('row') },
        button(edit ? 'Save edit' : 'Delete message', {
          type: 'submit',
          small: true,
          variant: edit ? 'primary' : 'danger',
        }),
        button('Cancel', { variant: 'ghost', small: true, onClick: close }),
      ),
      f.status,
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') (e.stopPropagation(), close());
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(item, mode, f);
    });
    li.replaceChildren(form);
    (edit ? f.body : f.reason).focus();
  }

  private submit(item: TimelineItem, mode: ModerationMode, f: FormFields): void {
    const { api, busy } = this.ctx;
    const why = f.reason.value.trim();
    const text = f.body.value.trim();
    const problem = moderationProblem(mode, why, text);
    if (problem) {
      f.status.textContent = problem.message;
      if (problem.field === 'reason') f.reason.setAttribute('aria-invalid', 'true');
      (problem.field === 'reason' ? f.reason : f.body).focus();
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
        f.status.textContent = errorText(err);
      },
    );
  }
}

function trailEntry(e: ModerationEntry): HTMLLIElement {
  return h(
    'li',
    null,
    h('strong', null, e.action === 'edit' ? 'Edited' : 'Deleted'),
    ` ${new Date(e.at).toLocaleString()} — “${e.reason}”`,
    e.before !== null ? h('div', null, `Before: ${e.before}`) : null,
  );
}
