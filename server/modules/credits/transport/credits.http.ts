import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { CreditsModule } from '../credits.module.js';

type CreditsHandlers = Pick<
  Handlers<RequestContext>,
  'clientGetCredits' | 'clientListCreditHistory'
>;

export function creditsHttp(credits: CreditsModule): CreditsHandlers {
  return {
    async clientGetCredits({ ctx }) {
      return { status: 200, body: await credits.balance(ctx.actor!.userId) };
    },
    async clientListCreditHistory({ query, ctx }) {
      const page = await credits.history(ctx.actor!.userId, query);
      return {
        status: 200,
        body: { items: page.items.map(({ clientId: _c, ...e }) => e), nextCursor: page.nextCursor },
      };
    },
  };
}
