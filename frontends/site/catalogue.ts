import type { components } from '../../generated/v1/types.js';
import { backend } from '../lib/config.js';
import { call, createHttpClient } from '../lib/http-client.js';
import { formatMoney } from '../lib/money.js';
import { h } from '../ui/dom.js';
import { placeholder, ui } from '../ui/components.js';

type Catalogue = components['schemas']['Catalogue'];

const http = createHttpClient(backend.apiBase);

/** "£6.50 a meal": the honest comparison between packs and plans of different sizes. */
export function perMeal(priceMinor: number, meals: number, currency: string): string {
  if (meals <= 0) return '';
  return `${formatMoney(Math.round(priceMinor / meals), currency)} a meal`;
}

function offer(
  s: (n: string) => string,
  kind: string,
  name: string,
  price: string,
  per: string,
  detail: string,
  description: string | null,
): HTMLElement {
  return h(
    'article',
    { class: `${s('offer')} ${ui('offerCard')}` },
    h('span', { class: ui('eyebrow') }, kind),
    h('h3', { class: ui('offerName') }, name),
    h('p', { class: ui('offerPrice') }, price),
    h('p', { class: ui('offerDetail') }, detail, h('br'), h('span', { class: ui('muted') }, per)),
    description ? h('p', { class: ui('muted') }, description) : null,
  );
}

/** Fills `slot` with the public catalogue: packs and plans, cheapest first, as the API orders them. */
export async function loadCatalogue(slot: HTMLElement, s: (n: string) => string): Promise<void> {
  const status = h('p', { class: ui('muted'), role: 'status' }, 'Loading our packs and plans…');
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
    h(
      'div',
      { class: s('offers'), role: 'list', 'aria-label': 'Packs and plans' },
      ...cat.packs.map((p) =>
        h(
          'div',
          { role: 'listitem' },
          offer(
            s,
            'Pack',
            p.name,
            formatMoney(p.priceMinor, p.currency),
            perMeal(p.priceMinor, p.meals, p.currency),
            `${p.meals} meals, once`,
            p.description,
          ),
        ),
      ),
      ...cat.plans.map((p) =>
        h(
          'div',
          { role: 'listitem' },
          offer(
            s,
            'Plan',
            p.name,
            `${formatMoney(p.priceMinor, p.currency)} / ${p.interval}`,
            perMeal(p.priceMinor, p.mealsPerInterval, p.currency),
            `${p.mealsPerInterval} meals every ${p.interval}`,
            p.description,
          ),
        ),
      ),
    ),
  );
}
