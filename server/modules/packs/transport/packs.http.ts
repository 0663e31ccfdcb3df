import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import { createPack, retirePack, updatePack } from '../application/manage-packs.use-case.js';
import type { PacksDeps } from '../application/packs.deps.js';
import { listPacks, listPurchases } from '../application/read-packs.use-case.js';
import { startPackCheckout } from '../application/start-pack-checkout.use-case.js';

export type PacksOperations = Pick<
  Handlers<RequestContext>,
  | 'adminListPacks'
  | 'adminCreatePack'
  | 'adminUpdatePack'
  | 'adminRetirePack'
  | 'clientStartPackCheckout'
  | 'clientListPackPurchases'
>;

export function packsHttp(deps: PacksDeps): PacksOperations {
  return {
    async adminListPacks() {
      return { status: 200, body: { items: await listPacks(deps, false) } };
    },
    async adminCreatePack({ body, ctx }) {
      return { status: 201, body: await createPack(deps, body, ctx.now) };
    },
    async adminUpdatePack({ params, body, ctx }) {
      return { status: 200, body: await updatePack(deps, params.packId, body, ctx.now) };
    },
    async adminRetirePack({ params, ctx }) {
      return { status: 200, body: await retirePack(deps, params.packId, ctx.now) };
    },
    async clientStartPackCheckout({ params, ctx }) {
      return {
        status: 201,
        body: await startPackCheckout(
          deps,
          { packId: params.packId, clientId: ctx.actor!.userId },
          ctx.now,
        ),
      };
    },
    async clientListPackPurchases({ ctx }) {
      const items = await listPurchases(deps, ctx.actor!.userId);
      return {
        status: 200,
        body: {
          items: items.map((item) => ({
            id: item.id,
            packId: item.packId,
            packName: item.packName,
            meals: item.meals,
            priceMinor: item.priceMinor,
            currency: item.currency,
            status: item.status,
            refundedMinor: item.refundedMinor,
            creditsGranted: item.creditsGranted,
            createdAt: item.createdAt,
            paidAt: item.paidAt,
          })),
        },
      };
    },
  };
}
