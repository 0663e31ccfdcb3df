import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { Plan, Subscription } from '../domain/subscription.entity.js';
import { changeSubscription } from '../application/change-subscription.use-case.js';
import { createPlan, retirePlan, updatePlan } from '../application/manage-plans.use-case.js';
import { listPlans, listSubscriptions } from '../application/read-subscriptions.use-case.js';
import { startSubscription } from '../application/start-subscription.use-case.js';
import type { SubscriptionsDeps } from '../application/subscriptions.deps.js';

export type SubscriptionsOperations = Pick<
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

const view = (subscription: Subscription) => ({
  id: subscription.id,
  planId: subscription.planId,
  status: subscription.status,
  cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
  currentPeriodEnd: subscription.currentPeriodEnd,
  createdAt: subscription.createdAt,
  updatedAt: subscription.updatedAt,
});
const planView = (plan: Plan) => plan;

export function subscriptionsHttp(deps: SubscriptionsDeps): SubscriptionsOperations {
  const change =
    (char: 'cancel' | 'pause' | 'resume') =>
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
        await changeSubscription(
          deps,
          {
            subscriptionId: params.subscriptionId,
            clientId: ctx.actor!.userId,
            change: char,
            ...(body?.reason ? { reason: body.reason } : {}),
          },
          ctx.now,
        ),
      ),
    });
  return {
    async adminListPlans() {
      return { status: 200, body: { items: (await listPlans(deps, false)).map(planView) } };
    },
    async adminCreatePlan({ body, ctx }) {
      return { status: 201, body: await createPlan(deps, body, ctx.now) };
    },
    async adminUpdatePlan({ params, body, ctx }) {
      return { status: 200, body: await updatePlan(deps, params.planId, body, ctx.now) };
    },
    async adminRetirePlan({ params, ctx }) {
      return { status: 200, body: await retirePlan(deps, params.planId, ctx.now) };
    },
    async clientListSubscriptions({ ctx }) {
      return {
        status: 200,
        body: { items: (await listSubscriptions(deps, ctx.actor!.userId)).map(view) },
      };
    },
    async clientStartSubscription({ body, ctx }) {
      const result = await startSubscription(
        deps,
        { planId: body.planId, clientId: ctx.actor!.userId },
        ctx.now,
      );
      return {
        status: 201,
        body: {
          subscription: view(result.subscription),
          checkoutSessionId: result.checkoutSessionId,
          checkoutUrl: result.checkoutUrl,
        },
      };
    },
    clientCancelSubscription: change('cancel'),
    clientPauseSubscription: change('pause'),
    clientResumeSubscription: change('resume'),
  };
}
