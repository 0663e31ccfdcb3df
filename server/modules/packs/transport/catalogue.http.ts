import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { PacksModule } from '../packs.module.js';

type Plans = Awaited<ReturnType<Handlers<RequestContext>['getCatalogue']>>['body']['plans'];

/**
 * The site's public catalogue: active packs, plus the active subscription plans handed in by the
 * composition root (Packs does not import Subscriptions).
 */
export function catalogueHttp(
  packs: PacksModule,
  activePlans: () => Promise<Plans>,
): Pick<Handlers<RequestContext>, 'getCatalogue' | 'clientGetCatalogue'> {
  const catalogue = async () => {
    const [p, plans] = await Promise.all([packs.list(true), activePlans()]);
    return { status: 200 as const, body: { packs: p, plans } };
  };
  return { getCatalogue: catalogue, clientGetCatalogue: catalogue };
}
