import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, type BrowserSession } from './support/browser.js';
import { startRealStack, type RealStack } from './support/real-stack.js';

/**
 * The conversation pane's room tools against the real server, with two people in two pages: the
 * composer, the members drawer (invite, roles, live membership), moderation with a reason and its
 * history, and leaving with a confirmation. The pane is split into parts; this journey holds them
 * to what a person sees.
 */
const stack: RealStack | null = chromiumAvailable() ? await startRealStack() : null;

describe.skipIf(!stack || !stack.realtimeWired)(
  'a room in the conversation pane, against the real server',
  () => {
    const realStack = stack!;
    let session: BrowserSession;

    beforeAll(async () => {
      session = await launchBrowser({
        allowedOrigins: [
          realStack.urls.site,
          realStack.urls.client,
          realStack.urls.admin,
          realStack.api,
        ],
      });
    });
    afterAll(async () => {
      await session?.close();
      await realStack.close();
    });

    async function signIn(
      page: Page,
      url: string,
      who: { email: string; password: string },
    ): Promise<void> {
      await page.goto(`${url}/#/login`, { waitUntil: 'networkidle' });
      await page.fill('#login-form [name=email]', who.email);
      await page.fill('#login-form [name=password]', who.password);
      await page.locator('#login-form button[type=submit]').click();
      await page.waitForFunction(
        () => !document.querySelector('#login-form') && document.querySelector('main h1'),
      );
    }

    const paneTitle = (page: Page, title: string): Promise<unknown> =>
      page.waitForFunction(
        (text) => document.querySelector('section[data-conversation-id] h1')?.textContent === text,
        title,
      );
    const focused = (page: Page): Promise<string | null | undefined> =>
      page.evaluate(() => document.activeElement?.textContent);
    const message = (pane: Locator, seq: string): Locator =>
      pane.locator(`[role=log] li[data-seq="${seq}"]`);

    it('when an owner invites a client, makes them moderator and edits a message with a reason, then both panes follow live; the owner may not leave while others remain', async () => {
      const room = `Tasting team ${Date.now().toString(36)}`;
      const clientUser = (
        await realStack.app.identity.listUsers({ role: 'client', limit: 10 })
      ).items.find((item) => item.email === realStack.demo.client.email)!;

      const admin = await session.newPage();
      await signIn(admin, realStack.urls.admin, realStack.demo.admin);
      await admin.goto(`${realStack.urls.admin}/#/rooms`, { waitUntil: 'networkidle' });
      await admin.waitForSelector('[role=log][aria-busy=false]');
      await admin.fill('#new-room-form [name=title]', room);
      await admin.locator('#new-room-form button[type=submit]').click();
      await paneTitle(admin, room);
      const pane = admin.locator('section[data-conversation-id]');
      await pane.locator('[role=log][aria-busy=false]').waitFor();
      await pane.locator('[role=log] li', { hasText: 'No messages yet' }).waitFor();

      // Composer: Enter sends; the line goes from pending to sent with its seq.
      await pane.locator('textarea[name=message]').fill('Menu draft one');
      await admin.keyboard.press('Enter');
      const sent = pane.locator('[role=log] li[data-seq]', { hasText: 'Menu draft one' });
      await sent.locator('[data-state=sent]').waitFor();
      expect(await pane.locator('[role=log] li', { hasText: 'No messages yet' }).count()).toBe(0);
      expect(await pane.locator('textarea[name=message]').inputValue()).toBe('');
      const seq = (await sent.getAttribute('data-seq'))!;

      // Members: the owner alone; the drawer toggles.
      const membersBtn = pane.getByRole('button', { name: 'Members', exact: true });
      await membersBtn.click();
      expect(await membersBtn.getAttribute('aria-expanded')).toBe('true');
      const members = pane.locator(`ul[aria-label="Members of ${room}"]`);
      await members.locator('li', { hasText: '(you)' }).waitFor();
      expect(await members.locator('li').innerText()).toContain('Owner');

      // Invite: blank, unknown and real ids, then Escape closes the drawer back onto its button.
      const inviteBtn = pane.getByRole('button', { name: 'Invite', exact: true });
      await inviteBtn.click();
      expect(await membersBtn.getAttribute('aria-expanded')).toBe('false');
      const invite = pane.locator(`form[aria-label="Invite someone to ${room}"]`);
      expect(await focused(admin)).toBe('');
      await invite.locator('[name=userId]').fill('   ');
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      await invite.locator('[role=status]', { hasText: 'Please enter a user id.' }).waitFor();
      expect(await invite.locator('[name=userId]').getAttribute('aria-invalid')).toBe('true');
      await invite.locator('[name=userId]').fill(randomUUID());
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      await invite.locator('[role=status]', { hasText: 'No user has that id.' }).waitFor();
      await invite.locator('[name=userId]').fill(clientUser.id);
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      await invite.locator('[role=status]', { hasText: 'Invitation sent.' }).waitFor();
      expect(await invite.locator('[name=userId]').getAttribute('aria-invalid')).toBeNull();
      await admin.keyboard.press('Escape');
      expect(await invite.count()).toBe(0);
      expect(await focused(admin)).toBe('Invite');

      // The client accepts; the owner's open members drawer follows the membership frame.
      await membersBtn.click();
      const client = await session.newPage();
      await signIn(client, realStack.urls.client, realStack.demo.client);
      await client.goto(`${realStack.urls.client}/#/chat`, { waitUntil: 'networkidle' });
      await client.getByRole('button', { name: 'Accept' }).click();
      await paneTitle(client, room);
      const clientPane = client.locator('section[data-conversation-id]');
      await message(clientPane, seq).locator('text=Menu draft one').waitFor();
      expect(await clientPane.getByRole('button', { name: 'Invite', exact: true }).count()).toBe(0);
      const clientRow = members.locator('li', { hasText: clientUser.displayName });
      await clientRow.waitFor({ timeout: 15_000 });

      // Roles: the owner makes the client a moderator; the client's pane grows the Invite tool live.
      await clientRow.getByRole('button', { name: 'Make moderator' }).click();
      await clientRow.locator('text=Moderator').waitFor();
      await clientRow.getByRole('button', { name: 'Make member' }).waitFor();
      await clientPane
        .getByRole('button', { name: 'Invite', exact: true })
        .waitFor({ timeout: 15_000 });

      // Moderation: a reason is required; the edit shows in both panes, and in the history.
      await message(pane, seq).getByRole('button', { name: 'Edit' }).click();
      const edit = pane.locator('form[aria-label="Edit message"]');
      await edit.locator('[name=body]').fill('Menu draft two');
      await edit.locator('[name=reason]').fill('  ');
      await edit.getByRole('button', { name: 'Save edit' }).click();
      await edit.locator('[role=alert]', { hasText: 'A reason is required.' }).waitFor();
      await edit.locator('[name=reason]').fill('Typo in the title');
      await edit.getByRole('button', { name: 'Save edit' }).click();
      await message(pane, seq).locator('text=(edited)').waitFor();
      expect(await message(pane, seq).innerText()).toContain('Menu draft two');
      await message(clientPane, seq).locator('text=Menu draft two').waitFor({ timeout: 15_000 });
      const history = message(pane, seq).getByRole('button', { name: 'History' });
      await history.click();
      const trail = message(pane, seq).locator('ol[aria-label="Moderation history"]');
      await trail.locator('li', { hasText: '“Typo in the title”' }).waitFor();
      expect(await trail.innerText()).toContain('Before: Menu draft one');
      await history.click();
      expect(await trail.count()).toBe(0);

      // Escape on an open moderation form puts the message back as it was.
      await message(clientPane, seq).getByRole('button', { name: 'Delete' }).click();
      await clientPane.locator('form[aria-label="Delete message"] [name=reason]').waitFor();
      await client.keyboard.press('Escape');
      expect(await clientPane.locator('form[aria-label="Delete message"]').count()).toBe(0);
      expect(await message(clientPane, seq).innerText()).toContain('Menu draft two');

      // The moderator (client surface) deletes it; the owner sees the removal live.
      await message(clientPane, seq).getByRole('button', { name: 'Delete' }).click();
      const del = clientPane.locator('form[aria-label="Delete message"]');
      await del.locator('[name=reason]').fill('Superseded by the printed menu');
      await del.getByRole('button', { name: 'Delete message' }).click();
      await message(clientPane, seq)
        .locator('text=This message was removed by a moderator.')
        .waitFor();
      await message(pane, seq)
        .locator('text=This message was removed by a moderator.')
        .waitFor({ timeout: 15_000 });
      await session.screenshot(admin, 'real-admin-room-moderated');

      // Leaving: the owner is refused while the client remains; Stay puts focus back.
      const leave = pane.getByRole('button', { name: 'Leave room' });
      await leave.click();
      await pane.getByRole('button', { name: 'Leave', exact: true }).click();
      await pane
        .locator('[role=status]', {
          hasText: 'As the owner you can leave only once everyone else has left.',
        })
        .waitFor();
      await pane.getByRole('button', { name: 'Stay' }).click();
      expect(await focused(admin)).toBe('Leave room');

      // The client leaves: their pane goes back to the lobby, and the owner's members list drops them.
      await membersBtn.click();
      await clientRow.waitFor();
      await clientPane.getByRole('button', { name: 'Leave room' }).click();
      await clientPane.getByRole('button', { name: 'Leave', exact: true }).click();
      await client.waitForFunction((text) => {
        const h1 = document.querySelector('section[data-conversation-id] h1');
        return h1 !== null && h1.textContent !== text;
      }, room);
      await clientRow.waitFor({ state: 'detached', timeout: 15_000 });

      await client.close();
      await admin.close();
      expect(session.violations).toEqual([]);
    });
  },
);
