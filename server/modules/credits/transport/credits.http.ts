import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { CreditsDeps } from '../application/credits.deps.js';
import { readBalance, readHistory } from '../application/read-credits.use-case.js';

export type CreditsOperations = Pick<
  Handlers<RequestContext>,
  'clientGetCredits' | 'clientListCreditHistory'
>;

export function creditsHttp(deps: CreditsDeps): CreditsOperations {
  return {
    async clientGetCredits({ ctx }) {
      return { status: 200, body: await readBalance(deps, ctx.actor!.userId) };
    },
    async clientListCreditHistory({ query, ctx }) {
      const page = await readHistory(deps, ctx.actor!.userId, query);
      return {
        status: 200,
        body: {
          items: page.items.map(({ clientId: _c, ...entry }) => entry),
          nextCursor: page.nextCursor,
        },
      };
    },
  };
}
