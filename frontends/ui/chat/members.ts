import type { components } from '../../../generated/v1/types.js';
import { announce } from '../../lib/a11y/index.js';
import { canInvite, canRemoveMember, canSetRole, roleLabel } from '../../lib/chat-state.js';
import { h, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import { c } from './chat-classes.js';
import type { PaneContext } from './pane-context.js';
import { errorText, goneText, inviteErrorText, leaveErrorText, roleToggle } from './pane-logic.js';

type Member = components['schemas']['Member'];
type DrawerKind = '' | 'members' | 'invite' | 'leave';

/**
 * Members and room actions: the header's tools (Members, Invite, Leave room, as my role allows) and
 * the drawer they open: the members with presence and the owner's role and remove actions, the
 * invite form, or the leave confirmation. `onGone` runs once I have left.
 */
export class MembersPart {
  /** The header's buttons. */
  readonly tools = h('div', { class: c('paneTools') });
  /** Where the members list, the invite form or the leave confirmation opens. */
  readonly drawer = h('div', { class: c('drawer') });
  private readonly online = new Set<string>();
  private members: Member[] = [];
  private readonly membersBtn = button('Members', { variant: 'secondary', small: true });
  private readonly inviteBtn = button('Invite', { variant: 'secondary', small: true });
  private readonly leaveBtn = button('Leave room', { variant: 'ghost', small: true });

  constructor(
    private readonly ctx: PaneContext,
    private readonly onGone?: (message: string) => void,
  ) {
    this.membersBtn.setAttribute('aria-expanded', 'false');
    this.inviteBtn.setAttribute('aria-expanded', 'false');
    this.membersBtn.addEventListener('click', () => this.toggleMembers());
    this.inviteBtn.addEventListener('click', () => this.toggleInvite());
    this.leaveBtn.addEventListener('click', () => this.confirmLeave());
    this.drawer.addEventListener('keydown', (e) => {
      const open = this.drawer.dataset.open;
      if (e.key !== 'Escape' || !open) return;
      const back =
        open === 'invite' ? this.inviteBtn : open === 'leave' ? this.leaveBtn : this.membersBtn;
      this.setDrawer('');
      back.focus();
    });
  }

  /** Redraw the tools (my role changed). */
  renderTools(): void {
    const { conv } = this.ctx;
    const list: HTMLElement[] = [];
    if (conv.kind === 'room' || conv.kind === 'sub_lobby') list.push(this.membersBtn);
    if (canInvite(conv.myRole, conv.kind)) list.push(this.inviteBtn);
    if (conv.kind === 'room' && conv.myRole !== null) list.push(this.leaveBtn);
    this.tools.replaceChildren(...list);
  }

  /** Reload the members shown, if the list is open. */
  refresh(): void {
    if (this.drawer.dataset.open === 'members') void this.loadMembers();
  }

  presence(userId: string, isOnline: boolean): void {
    if (isOnline) this.online.add(userId);
    else this.online.delete(userId);
    if (this.members.length) this.renderMembers();
  }

  private setDrawer(kind: DrawerKind, content: Node[] = []): void {
    this.drawer.dataset.open = kind;
    this.drawer.replaceChildren(...content);
    this.membersBtn.setAttribute('aria-expanded', String(kind === 'members'));
    this.inviteBtn.setAttribute('aria-expanded', String(kind === 'invite'));
  }

  private toggleMembers(): void {
    if (this.drawer.dataset.open === 'members') return this.setDrawer('');
    this.setDrawer('members', [h('p', { class: c('empty') }, 'Loading members…')]);
    void this.loadMembers();
  }

  private async loadMembers(): Promise<void> {
    try {
      this.members = await this.ctx.api.listMembers(this.ctx.id);
      if (!this.ctx.destroyed) this.renderMembers();
    } catch (err) {
      this.setDrawer('members', [
        h('p', { role: 'alert' }, `Members could not be loaded: ${errorText(err)}`),
      ]);
    }
  }

  private renderMembers(): void {
    if (this.drawer.dataset.open !== 'members') return;
    const status = h('p', { class: ui('srOnly'), role: 'status' });
    const list = h(
      'ul',
      { class: c('members'), 'aria-label': `Members of ${this.ctx.conv.title}` },
      ...this.members.map((m) => this.memberRow(m, status)),
    );
    this.setDrawer('members', [list, status]);
  }

  private memberRow(m: Member, status: HTMLElement): HTMLLIElement {
    const { api, me, conv, id } = this.ctx;
    const action = (label: string, run: () => Promise<unknown>, done: string): HTMLButtonElement =>
      h(
        'button',
        {
          type: 'button',
          class: c('linkButton'),
          on: { click: () => void this.memberAction(status, run, done) },
        },
        label,
      );
    const actions: HTMLElement[] = [];
    if (canSetRole(conv.myRole, m, me.id)) {
      const { next, label } = roleToggle(m.role);
      actions.push(
        action(label, () => api.setRole(id, m.userId, next), `${m.displayName} is now a ${next}.`),
      );
    }
    if (canRemoveMember(conv.myRole, m, me.id))
      actions.push(
        action('Remove', () => api.removeMember(id, m.userId), `${m.displayName} was removed.`),
      );
    const isOnline = this.online.has(m.userId);
    return h(
      'li',
      { class: c('member') },
      h('span', {
        class: c('presence'),
        dataset: { online: String(isOnline || m.userId === me.id) },
        title: isOnline ? 'Online' : 'Offline',
        'aria-hidden': 'true',
      }),
      h(
        'span',
        { class: c('memberName') },
        m.userId === me.id ? `${m.displayName} (you)` : m.displayName,
      ),
      h('span', { class: c('role') }, roleLabel(m.role)),
      ...actions,
    );
  }

  private async memberAction(
    status: HTMLElement,
    action: () => Promise<unknown>,
    done: string,
  ): Promise<void> {
    try {
      await action();
      announce(done);
      await this.loadMembers();
    } catch (err) {
      status.textContent = errorText(err);
      announce(errorText(err), 'assertive');
    }
  }

  private toggleInvite(): void {
    if (this.drawer.dataset.open === 'invite') return this.setDrawer('');
    const title = this.ctx.conv.title;
    const inputId = uniqueId('invitee');
    const input = h('input', {
      id: inputId,
      class: ui('input'),
      name: 'userId',
      required: true,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'e.g. 3f2c…',
      'aria-describedby': `${inputId}-hint`,
    });
    const result = h('p', { role: 'status', class: c('empty') });
    const cancel = button('Cancel', {
      variant: 'ghost',
      small: true,
      onClick: () => (this.setDrawer(''), this.inviteBtn.focus()),
    });
    const form = h(
      'form',
      { class: c('inlineForm'), 'aria-label': `Invite someone to ${title}` },
      h('label', { class: ui('label'), for: inputId }, 'User id to invite'),
      h(
        'p',
        { id: `${inputId}-hint`, class: ui('hint') },
        'Ask the person for the user id shown on their Account page.',
      ),
      input,
      h(
        'div',
        { class: c('row') },
        button('Send invitation', { type: 'submit', small: true }),
        cancel,
      ),
      result,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendInvite(input, result);
    });
    this.setDrawer('invite', [form]);
    input.focus();
  }

  private sendInvite(input: HTMLInputElement, result: HTMLElement): void {
    const userId = input.value.trim();
    if (!userId) {
      result.textContent = 'Please enter a user id.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    void this.ctx.api.invite(this.ctx.id, userId).then(
      () => {
        input.value = '';
        input.removeAttribute('aria-invalid');
        result.textContent = 'Invitation sent.';
      },
      (err: unknown) => {
        input.setAttribute('aria-invalid', 'true');
        result.textContent = inviteErrorText(err);
        input.focus();
      },
    );
  }

  private confirmLeave(): void {
    const title = this.ctx.conv.title;
    const yes = button('Leave', { variant: 'danger', small: true });
    const no = button('Stay', {
      variant: 'ghost',
      small: true,
      onClick: () => (this.setDrawer(''), this.leaveBtn.focus()),
    });
    const status = h('p', { role: 'status' });
    yes.addEventListener('click', () => {
      void this.ctx.api.leave(this.ctx.id).then(
        () => this.onGone?.(goneText('left', title)),
        (err: unknown) => {
          status.textContent = leaveErrorText(err);
        },
      );
    });
    this.setDrawer('leave', [
      h('p', null, `Leave ${title}? You will need a new invitation to come back.`),
      h('div', { class: c('row') }, yes, no),
      status,
    ]);
    yes.focus();
  }
}
