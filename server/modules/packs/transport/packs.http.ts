import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { PacksModule } from '../packs.module.js';

type PacksHandlers = Pick<
  Handlers<RequestContext>,
  | 'adminListPacks'
  | 'adminCreatePack'
  | 'adminUpdatePack'
  | 'adminRetirePack'
  | 'clientStartPackCheckout'
  | 'clientListPackPurchases'
>;

export function packsHttp(packs: PacksModule): PacksHandlers {
  return {
    async adminListPacks() {
      return { status: 200, body: { items: await packs.list(false) } };
    },
    async adminCreatePack({ body }) {
      return { status: 201, body: await packs.create(body) };
    },
    async adminUpdatePack({ params, body }) {
      return { status: 200, body: await packs.update(params.packId, body) };
    },
    async adminRetirePack({ params }) {
      return { status: 200, body: await packs.retire(params.packId) };
    },
    async clientStartPackCheckout({ params, ctx }) {
      return {
        status: 201,
        body: await packs.startCheckout({ packId: params.packId, clientId: ctx.actor!.userId }),
      };
    },
    async clientListPackPurchases({ ctx }) {
      const items = await packs.purchases(ctx.actor!.userId);
      return {
        status: 200,
        body: {
          items: items.map((p) => ({
            id: p.id,
            packId: p.packId,
            packName: p.packName,
            meals: p.meals,
            priceMinor: p.priceMinor,
            currency: p.currency,
            status: p.status,
            refundedMinor: p.refundedMinor,
            creditsGranted: p.creditsGranted,
            createdAt: p.createdAt,
            paidAt: p.paidAt,
          })),
        },
      };
    },
  };
}
