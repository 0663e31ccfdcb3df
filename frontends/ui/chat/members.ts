import type { components } from '../../../generated/v1/types.js';
import { announce } from '../../lib/a11y/index.js';
import { canInvite, canRemoveMember, canSetRole, roleLabel } from '../../lib/chat-state.js';
import { el, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import { cls } from './chat-classes.js';
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
  readonly tools = el('div', { class: cls('paneTools') });
  /** Where the members list, the invite form or the leave confirmation opens. */
  readonly drawer = el('div', { class: cls('drawer') });
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
    this.drawer.addEventListener('keydown', (keyboardEvent) => {
      const open = this.drawer.dataset.open;
      if (keyboardEvent.key !== 'Escape' || !open) return;
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
    this.setDrawer('members', [el('p', { class: cls('empty') }, 'Loading members…')]);
    void this.loadMembers();
  }

  private async loadMembers(): Promise<void> {
    try {
      this.members = await this.ctx.api.listMembers(this.ctx.id);
      if (!this.ctx.destroyed) this.renderMembers();
    } catch (err) {
      this.setDrawer('members', [
        el('p', { role: 'alert' }, `Members could not be loaded: ${errorText(err)}`),
      ]);
    }
  }

  private renderMembers(): void {
    if (this.drawer.dataset.open !== 'members') return;
    const status = el('p', { class: ui('srOnly'), role: 'status' });
    const list = el(
      'ul',
      { class: cls('members'), 'aria-label': `Members of ${this.ctx.conv.title}` },
      ...this.members.map((member) => this.memberRow(member, status)),
    );
    this.setDrawer('members', [list, status]);
  }

  private memberRow(match: Member, status: HTMLElement): HTMLLIElement {
    const { api, me, conv, id } = this.ctx;
    const action = (label: string, run: () => Promise<unknown>, done: string): HTMLButtonElement =>
      el(
        'button',
        {
          type: 'button',
          class: cls('linkButton'),
          on: { click: () => void this.memberAction(status, run, done) },
        },
        label,
      );
    const actions: HTMLElement[] = [];
    if (canSetRole(conv.myRole, match, me.id)) {
      const { next, label } = roleToggle(match.role);
      actions.push(
        action(
          label,
          () => api.setRole(id, match.userId, next),
          `${match.displayName} is now a ${next}.`,
        ),
      );
    }
    if (canRemoveMember(conv.myRole, match, me.id))
      actions.push(
        action(
          'Remove',
          () => api.removeMember(id, match.userId),
          `${match.displayName} was removed.`,
        ),
      );
    const isOnline = this.online.has(match.userId);
    return el(
      'li',
      { class: cls('member') },
      el('span', {
        class: cls('presence'),
        dataset: { online: String(isOnline || match.userId === me.id) },
        title: isOnline ? 'Online' : 'Offline',
        'aria-hidden': 'true',
      }),
      el(
        'span',
        { class: cls('memberName') },
        match.userId === me.id ? `${match.displayName} (you)` : match.displayName,
      ),
      el('span', { class: cls('role') }, roleLabel(match.role)),
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
    const input = el('input', {
      id: inputId,
      class: ui('input'),
      name: 'userId',
      required: true,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'e.g. 3f2c…',
      'aria-describedby': `${inputId}-hint`,
    });
    const result = el('p', { role: 'status', class: cls('empty') });
    const cancel = button('Cancel', {
      variant: 'ghost',
      small: true,
      onClick: () => (this.setDrawer(''), this.inviteBtn.focus()),
    });
    const form = el(
      'form',
      { class: cls('inlineForm'), 'aria-label': `Invite someone to ${title}` },
      el('label', { class: ui('label'), for: inputId }, 'User id to invite'),
      el(
        'p',
        { id: `${inputId}-hint`, class: ui('hint') },
        'Ask the person for the user id shown on their Account page.',
      ),
      input,
      el(
        'div',
        { class: cls('row') },
        button('Send invitation', { type: 'submit', small: true }),
        cancel,
      ),
      result,
    );
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
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
    const status = el('p', { role: 'status' });
    yes.addEventListener('click', () => {
      void this.ctx.api.leave(this.ctx.id).then(
        () => this.onGone?.(goneText('left', title)),
        (err: unknown) => {
          status.textContent = leaveErrorText(err);
        },
      );
    });
    this.setDrawer('leave', [
      el('p', null, `Leave ${title}? You will need a new invitation to come back.`),
      el('div', { class: cls('row') }, yes, no),
      status,
    ]);
    yes.focus();
  }
}
