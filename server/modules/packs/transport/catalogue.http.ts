import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { PacksDeps } from '../application/packs.deps.js';
import { listPacks } from '../application/read-packs.use-case.js';

export type CatalogueOperations = Pick<
  Handlers<RequestContext>,
  'getCatalogue' | 'clientGetCatalogue'
>;
/** The subscription plans as the catalogue shows them. */
export type CataloguePlans = Awaited<
  ReturnType<Handlers<RequestContext>['getCatalogue']>
>['body']['plans'];

/**
 * The site's public catalogue: active packs, plus the active subscription plans handed in by the
 * composition root (Packs does not import Subscriptions).
 */
export function catalogueHttp(
  deps: PacksDeps,
  activePlans: () => Promise<CataloguePlans>,
): CatalogueOperations {
  const catalogue = async () => {
    const [key, plans] = await Promise.all([listPacks(deps, true), activePlans()]);
    return { status: 200 as const, body: { packs: key, plans } };
  };
  return { getCatalogue: catalogue, clientGetCatalogue: catalogue };
}
