import type { MemberRole } from './chat.entity.js';

/** Owners and moderators invite into a room. */
export function canInvite(role: MemberRole | null): boolean {
  return role === 'owner' || role === 'moderator';
}

/** The owner removes anyone but themself; moderators remove members; members remove nobody. */
export function canRemove(actorRole: MemberRole | null, targetRole: MemberRole): boolean {
  if (actorRole === 'owner') return targetRole !== 'owner';
  if (actorRole === 'moderator') return targetRole === 'member';
  return false;
}

/** Only the owner changes roles, and never their own (ownership is not transferred this way). */
export function canSetRole(actorRole: MemberRole | null, targetRole: MemberRole): boolean {
  return actorRole === 'owner' && targetRole !== 'owner';
}

/** Owners and moderators of a room or sub-lobby edit and delete its messages. */
export function canModerate(role: MemberRole | null): boolean {
  return role === 'owner' || role === 'moderator';
}

/** The owner leaves only when nobody else remains. */
export function canLeave(role: MemberRole, otherMembers: number): boolean {
  return role !== 'owner' || otherMembers === 0;
}
