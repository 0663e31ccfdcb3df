import { formatMoney, formatPerMeal, minorToMajorInput } from '../lib/money.js';
import type { AdminBillingApi, Pack, Plan } from '../lib/billing-api.js';
import { el } from '../ui/dom.js';
import { field, ui } from '../ui/components.js';
import { pageHead, type RouteContext } from '../ui/app-shell.js';
import { CatalogueSection } from './catalogue-section.js';

const priceField = (minor: number | undefined): HTMLElement =>
  field({
    label: 'Price in pounds (£)',
    name: 'priceMinor',
    required: true,
    inputmode: 'decimal',
    autocomplete: 'off',
    value: minor === undefined ? undefined : minorToMajorInput(minor),
    hint: 'For example 45.00. At least £0.50.',
  });

function packSection(api: AdminBillingApi): CatalogueSection<Pack> {
  return new CatalogueSection<Pack>({
    kind: 'pack',
    title: 'Meal packs',
    noun: 'pack',
    headers: ['Name', 'Meals', 'Price', 'Per meal'],
    list: api.packs,
    cells: (part) => [
      el('strong', null, part.name),
      String(part.meals),
      formatMoney(part.priceMinor, part.currency),
      formatPerMeal(part.priceMinor, part.meals, part.currency),
    ],
    fields: (part) => [
      field({
        label: 'Name',
        name: 'name',
        required: true,
        autocomplete: 'off',
        maxlength: 120,
        value: part?.name,
      }),
      field({
        label: 'Description',
        name: 'description',
        multiline: true,
        maxlength: 1000,
        value: part?.description ?? undefined,
      }),
      field({
        label: 'Meals',
        name: 'meals',
        type: 'number',
        required: true,
        inputmode: 'numeric',
        value: part ? String(part.meals) : undefined,
        hint: '1 to 500 meal credits.',
      }),
      priceField(part?.priceMinor),
    ],
    save: (part, body) =>
      part
        ? api.updatePack(part.id, body)
        : api.createPack({
            ...(body as { name: string; meals: number; priceMinor: number }),
            currency: 'gbp',
          }),
    retire: (part) => api.retirePack(part.id),
  });
}

function planFields(part: Plan | null): HTMLElement[] {
  return [
    field({
      label: 'Name',
      name: 'name',
      required: true,
      autocomplete: 'off',
      maxlength: 120,
      value: part?.name,
    }),
    field({
      label: 'Description',
      name: 'description',
      multiline: true,
      maxlength: 1000,
      value: part?.description ?? undefined,
    }),
    part
      ? el(
          'p',
          { class: ui('muted') },
          `Billed every ${part.interval}; the interval cannot change once a plan exists.`,
        )
      : field({
          label: 'Billed every',
          name: 'interval',
          required: true,
          options: [
            { value: 'week', label: 'Week' },
            { value: 'month', label: 'Month' },
          ],
        }),
    field({
      label: 'Meals per period',
      name: 'mealsPerInterval',
      type: 'number',
      required: true,
      inputmode: 'numeric',
      value: part ? String(part.mealsPerInterval) : undefined,
      hint: '1 to 100 meal credits for each paid period.',
    }),
    priceField(part?.priceMinor),
  ];
}

function planSection(api: AdminBillingApi): CatalogueSection<Plan> {
  return new CatalogueSection<Plan>({
    kind: 'plan',
    title: 'Subscription plans',
    noun: 'plan',
    headers: ['Name', 'Meals', 'Price', 'Per meal'],
    list: api.plans,
    cells: (part) => [
      el('strong', null, part.name),
      `${part.mealsPerInterval} / ${part.interval}`,
      `${formatMoney(part.priceMinor, part.currency)} / ${part.interval}`,
      formatPerMeal(part.priceMinor, part.mealsPerInterval, part.currency),
    ],
    fields: planFields,
    save: (part, body) => {
      if (part) {
        const { interval: _interval, ...rest } = body;
        return api.updatePlan(part.id, rest);
      }
      return api.createPlan({
        ...(body as {
          name: string;
          interval: 'week' | 'month';
          mealsPerInterval: number;
          priceMinor: number;
        }),
        currency: 'gbp',
      });
    },
    retire: (part) => api.retirePlan(part.id),
  });
}

/** Packs and plans: list, create, edit, retire (confirmed); prices typed in pounds, sent in pence. */
export function catalogueView(api: AdminBillingApi) {
  return async ({ main }: RouteContext): Promise<void> => {
    const packs = packSection(api);
    const plans = planSection(api);
    main.append(
      pageHead('Catalogue'),
      el(
        'p',
        { class: ui('muted') },
        'What clients can buy. Prices are in pounds; changes apply to new purchases only, and retiring keeps what was already bought.',
      ),
      packs.el,
      plans.el,
    );
    await Promise.all([packs.load(), plans.load()]);
  };
}
