import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { Plan, Subscription } from '../domain/subscription.entity.js';
import type { SubscriptionsModule } from '../subscriptions.module.js';

type SubscriptionHandlers = Pick<
  Handlers<RequestContext>,
  | 'adminListPlans'
  | 'adminCreatePlan'
  | 'adminUpdatePlan'
  | 'adminRetirePlan'
  | 'clientListSubscriptions'
  | 'clientStartSubscription'
  | 'clientCancelSubscription'
  | 'clientPauseSubscription'
  | 'clientResumeSubscription'
>;

const view = (s: Subscription) => ({
  id: s.id,
  planId: s.planId,
  status: s.status,
  cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  currentPeriodEnd: s.currentPeriodEnd,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});
const planView = (p: Plan) => p;

export function subscriptionsHttp(subs: SubscriptionsModule): SubscriptionHandlers {
  const change =
    (c: 'cancel' | 'pause' | 'resume') =>
    async ({
      params,
      body,
      ctx,
    }: {
      params: { subscriptionId: string };
      body?: { reason?: string } | undefined;
      ctx: RequestContext;
    }) => ({
      status: 200 as const,
      body: view(
        await subs.change({
          subscriptionId: params.subscriptionId,
          clientId: ctx.actor!.userId,
          change: c,
          ...(body?.reason ? { reason: body.reason } : {}),
        }),
      ),
    });
  return {
    async adminListPlans() {
      return { status: 200, body: { items: (await subs.plans(false)).map(planView) } };
    },
    async adminCreatePlan({ body }) {
      return { status: 201, body: await subs.createPlan(body) };
    },
    async adminUpdatePlan({ params, body }) {
      return { status: 200, body: await subs.updatePlan(params.planId, body) };
    },
    async adminRetirePlan({ params }) {
      return { status: 200, body: await subs.retirePlan(params.planId) };
    },
    async clientListSubscriptions({ ctx }) {
      return { status: 200, body: { items: (await subs.list(ctx.actor!.userId)).map(view) } };
    },
    async clientStartSubscription({ body, ctx }) {
      const r = await subs.subscribe({ planId: body.planId, clientId: ctx.actor!.userId });
      return {
        status: 201,
        body: {
          subscription: view(r.subscription),
          checkoutSessionId: r.checkoutSessionId,
          checkoutUrl: r.checkoutUrl,
        },
      };
    },
    clientCancelSubscription: change('cancel'),
    clientPauseSubscription: change('pause'),
    clientResumeSubscription: change('resume'),
  };
}
