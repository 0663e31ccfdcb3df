import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { EventsDeps } from '../application/events.deps.js';
import { listDeadLetters } from '../application/list-dead-letters.use-case.js';
import { replayDeadLetter } from '../application/replay-dead-letter.use-case.js';

export type EventsOperations = Pick<
  Handlers<RequestContext>,
  'listDeadLetters' | 'replayDeadLetter'
>;

export function eventsHttp(deps: EventsDeps): EventsOperations {
  return {
    async listDeadLetters({ query }) {
      return { status: 200, body: await listDeadLetters(deps, query) };
    },
    async replayDeadLetter({ params, ctx }) {
      return { status: 200, body: await replayDeadLetter(deps, params.deadLetterId, ctx.now) };
    },
  };
}
