import type { components } from '../../generated/v1/types.js';
import { backend } from '../lib/config.js';
import { call, createHttpClient } from '../lib/http-client.js';
import { formatMoney } from '../lib/money.js';
import { el } from '../ui/dom.js';
import { placeholder, ui } from '../ui/components.js';

type Catalogue = components['schemas']['Catalogue'];

const http = createHttpClient(backend.apiBase);

/** "£6.50 a meal": the honest comparison between packs and plans of different sizes. */
export function perMeal(priceMinor: number, meals: number, currency: string): string {
  if (meals <= 0) return '';
  return `${formatMoney(Math.round(priceMinor / meals), currency)} a meal`;
}

function offer(
  text: (count: string) => string,
  kind: string,
  name: string,
  price: string,
  per: string,
  detail: string,
  description: string | null,
): HTMLElement {
  return el(
    'article',
    { class: `${text('offer')} ${ui('offerCard')}` },
    el('span', { class: ui('eyebrow') }, kind),
    el('h3', { class: ui('offerName') }, name),
    el('p', { class: ui('offerPrice') }, price),
    el(
      'p',
      { class: ui('offerDetail') },
      detail,
      el('br'),
      el('span', { class: ui('muted') }, per),
    ),
    description ? el('p', { class: ui('muted') }, description) : null,
  );
}

/** Fills `slot` with the public catalogue: packs and plans, cheapest first, as the API orders them. */
export async function loadCatalogue(
  slot: HTMLElement,
  text: (count: string) => string,
): Promise<void> {
  const status = el('p', { class: ui('muted'), role: 'status' }, 'Loading our packs and plans…');
  slot.replaceChildren(status);
  let cat: Catalogue;
  try {
    cat = await call(http.api.GET('/api/v1/site/catalogue'));
  } catch {
    slot.replaceChildren(
      placeholder(
        'Our catalogue is not available right now',
        'Try again soon',
        'Send us an enquiry and we will put together a plan for you.',
        'h3',
      ),
    );
    return;
  }
  if (cat.packs.length === 0 && cat.plans.length === 0) {
    slot.replaceChildren(
      placeholder(
        'New packs are on their way',
        'Coming soon',
        'Send us an enquiry and we will put together a plan for you.',
        'h3',
      ),
    );
    return;
  }
  slot.replaceChildren(
    el(
      'div',
      { class: text('offers'), role: 'list', 'aria-label': 'Packs and plans' },
      ...cat.packs.map((pack) =>
        el(
          'div',
          { role: 'listitem' },
          offer(
            text,
            'Pack',
            pack.name,
            formatMoney(pack.priceMinor, pack.currency),
            perMeal(pack.priceMinor, pack.meals, pack.currency),
            `${pack.meals} meals, once`,
            pack.description,
          ),
        ),
      ),
      ...cat.plans.map((plan) =>
        el(
          'div',
          { role: 'listitem' },
          offer(
            text,
            'Plan',
            plan.name,
            `${formatMoney(plan.priceMinor, plan.currency)} / ${plan.interval}`,
            perMeal(plan.priceMinor, plan.mealsPerInterval, plan.currency),
            `${plan.mealsPerInterval} meals every ${plan.interval}`,
            plan.description,
          ),
        ),
      ),
    ),
  );
}
