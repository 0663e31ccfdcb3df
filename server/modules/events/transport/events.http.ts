import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { EventsModule } from '../events.module.js';

export type EventsOperations = Pick<
  Handlers<RequestContext>,
  'listDeadLetters' | 'replayDeadLetter'
>;

export function eventsHttp(events: EventsModule): EventsOperations {
  return {
    async listDeadLetters({ query }) {
      return { status: 200, body: await events.listDeadLetters(query) };
    },
    async replayDeadLetter({ params, ctx }) {
      return { status: 200, body: await events.replayDeadLetter(params.deadLetterId, ctx.now) };
    },
  };
}
