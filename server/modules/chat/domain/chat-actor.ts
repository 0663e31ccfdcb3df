/**
 * Who acts in chat: a signed-in user on the client or admin surface, or an anonymous site guest.
 * Staff are admin-surface users with `chat:use`; they see the visitor inbox. `chat:moderate` on the
 * admin surface moderates any conversation.
 */
export type ChatActor =
  | {
      kind: 'user';
      userId: string;
      displayName: string;
      role: string;
      surface: 'client' | 'admin';
      permissions: readonly string[];
    }
  | { kind: 'guest'; guestId: string };

export type UserActor = Extract<ChatActor, { kind: 'user' }>;

export function isStaff(actor: ChatActor): boolean {
  return (
    actor.kind === 'user' && actor.surface === 'admin' && actor.permissions.includes('chat:use')
  );
}

export function isGlobalModerator(actor: ChatActor): boolean {
  return (
    actor.kind === 'user' &&
    actor.surface === 'admin' &&
    actor.permissions.includes('chat:moderate')
  );
}

export function actorId(actor: ChatActor): string {
  return actor.kind === 'user' ? actor.userId : actor.guestId;
}
