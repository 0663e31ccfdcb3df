import type { UserActor } from '../domain/chat-actor.js';
import type { Invitation } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';

/** My pending invitations, newest first. */
export async function listInvitations(deps: ChatDeps, actor: UserActor): Promise<Invitation[]> {
  return deps.uow.read((chatRepos) => chatRepos.invitations.listPending(actor.userId));
}
