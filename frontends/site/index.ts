import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { mustClass } from '../lib/css-modules.js';
import { el } from '../ui/dom.js';
import { brand, skipLink, themeToggle, ui, uis } from '../ui/components.js';
import { enquirySection } from './enquiry.js';
import { mountChatWidget } from './chat-widget.js';
import { loadCatalogue } from './catalogue.js';
import styles from './site.module.css';

initTheme();
const textItem = (name: string): string => mustClass(styles, name);

const NAV = [
  ['#how-it-works', 'How it works'],
  ['#packs-and-plans', 'Packs & plans'],
  ['#faq', 'FAQ'],
  ['#enquire', 'Enquire'],
] as const;

function header(): HTMLElement {
  return el(
    'header',
    { class: textItem('header') },
    el(
      'div',
      { class: uis('container') + ' ' + textItem('headerBar') },
      brand('#top'),
      el(
        'nav',
        { class: textItem('nav'), 'aria-label': 'Main' },
        el(
          'ul',
          { class: textItem('navList') },
          ...NAV.map(([href, label]) => el('li', null, el('a', { href }, label))),
        ),
      ),
      el(
        'div',
        { class: textItem('headerActions') },
        themeToggle(),
        el(
          'a',
          { class: uis('button', 'small') + ' ' + textItem('headerCta'), href: '#enquire' },
          'Get started',
        ),
      ),
    ),
  );
}

function heroArt(): SVGSVGElement {
  // A bowl of greens, grains and salmon: decorative, drawn with theme colours.
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 400 360');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', textItem('heroArt'));
  const shape = (tag: string, cls: string, attrs: Record<string, string | number>): void => {
    const el = document.createElementNS(ns, tag);
    el.setAttribute('class', textItem(cls));
    for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
    svg.append(el);
  };
  shape('ellipse', 'artShadow', { cx: 200, cy: 318, rx: 150, ry: 20 });
  shape('circle', 'artPlate', { cx: 200, cy: 180, r: 150, 'stroke-width': 2 });
  shape('circle', 'artRim', {
    cx: 200,
    cy: 180,
    r: 122,
    'stroke-width': 2,
    'stroke-dasharray': '2 8',
  });
  shape('path', 'artGrain', {
    d: 'M95 190 Q110 110 195 100 Q205 170 160 250 Q110 250 95 190Z',
    'stroke-width': 2,
  });
  shape('path', 'artAccent', { d: 'M210 95 Q290 100 305 165 Q250 190 205 160 Q195 125 210 95Z' });
  shape('path', 'artLeaf', {
    d: 'M180 255 Q220 190 300 190 Q300 260 230 280 Q200 285 180 255Z',
    'stroke-width': 2,
  });
  for (const [cx, cy, value] of [
    [150, 160, 9],
    [130, 200, 7],
    [165, 210, 8],
    [250, 230, 10],
    [270, 215, 7],
    [235, 250, 6],
  ] as const) {
    shape('circle', 'artGreen', { cx, cy, r: value });
  }
  return svg;
}

function hero(): HTMLElement {
  return el(
    'section',
    { class: textItem('hero'), 'aria-labelledby': 'hero-title' },
    el(
      'div',
      { class: uis('container') + ' ' + textItem('heroGrid') },
      el(
        'div',
        null,
        el('span', { class: ui('eyebrow') }, 'Weekly meal prep'),
        el(
          'h1',
          { id: 'hero-title', class: textItem('heroTitle') },
          'Balanced meals, ',
          el('em', null, 'prepared'),
          ' for your week.',
        ),
        el(
          'p',
          { class: textItem('lead') },
          'Chef-cooked, nutritionally balanced meals planned around your goals and tastes, delivered chilled and ready to heat. Less time planning and cooking, more time for everything else.',
        ),
        el(
          'div',
          { class: ui('actions') },
          el('a', { class: ui('button'), href: '#enquire' }, 'Make an enquiry'),
          el('a', { class: uis('button', 'secondary'), href: '#how-it-works' }, 'How it works'),
        ),
        el(
          'ul',
          { class: textItem('heroPoints') },
          el('li', null, 'Planned with you'),
          el('li', null, 'Cooked fresh each week'),
          el('li', null, 'Pause or change any time'),
        ),
      ),
      heroArt(),
    ),
  );
}

const STEPS = [
  [
    'Tell us about you',
    'Send an enquiry or chat with us: your goals, allergies, how many people and how many days a week.',
  ],
  [
    'We plan your week',
    'Our team suggests a plan with balanced portions and a menu that changes every week.',
  ],
  [
    'Cooked fresh, delivered',
    'Meals are prepared in our kitchen and delivered chilled, labelled and ready to heat.',
  ],
  [
    'Adjust as you go',
    'Sign in to your client dashboard to follow your account; tell us when your week changes.',
  ],
] as const;

function howItWorks(): HTMLElement {
  return el(
    'section',
    { id: 'how-it-works', class: textItem('section'), 'aria-labelledby': 'how-title' },
    el(
      'div',
      { class: ui('container') },
      el(
        'div',
        { class: textItem('sectionHead') },
        el('span', { class: ui('eyebrow') }, 'How it works'),
        el(
          'h2',
          { id: 'how-title', class: textItem('sectionTitle') },
          'From first hello to a full fridge in four steps',
        ),
      ),
      el(
        'ol',
        { class: textItem('steps') },
        ...STEPS.map(([title, text]) =>
          el(
            'li',
            { class: textItem('step') },
            el('h3', { class: textItem('stepTitle') }, title),
            el('p', { class: textItem('stepText') }, text),
          ),
        ),
      ),
    ),
  );
}

function packsAndPlans(): HTMLElement {
  const slot = el('div', { dataset: { catalogue: '' } });
  void loadCatalogue(slot, textItem);
  return el(
    'section',
    {
      id: 'packs-and-plans',
      class: textItem('section') + ' ' + textItem('sectionAlt'),
      'aria-labelledby': 'packs-title',
    },
    el(
      'div',
      { class: ui('container') },
      el(
        'div',
        { class: textItem('sectionHead') },
        el('span', { class: ui('eyebrow') }, 'Packs & plans'),
        el(
          'h2',
          { id: 'packs-title', class: textItem('sectionTitle') },
          'One-off packs or a weekly plan',
        ),
      ),
      el(
        'div',
        { class: textItem('catalogue') },
        slot,
        el('a', { class: ui('button'), href: '#enquire' }, 'Ask about a plan'),
      ),
    ),
  );
}

const FAQ = [
  [
    'How are the meals delivered?',
    'Meals arrive chilled in insulated packaging on your delivery day, each labelled with its contents and heating instructions.',
  ],
  [
    'Can you cater for allergies and diets?',
    'Yes. Tell us about allergies, intolerances and preferences in your enquiry and we will plan around them. We always label the 14 major allergens.',
  ],
  [
    'How long do the meals keep?',
    'Meals keep for up to four days in the fridge; each label carries its use-by date. Many can also be frozen.',
  ],
  [
    'Can I pause or change my plan?',
    'Yes. Let us know before the weekly cut-off and we will pause, skip or adjust your next delivery.',
  ],
  [
    'How do I sign in to my account?',
    'Once you are a client we send you an invitation to your client dashboard, where you can see your account and change your password.',
  ],
] as const;

function faq(): HTMLElement {
  return el(
    'section',
    { id: 'faq', class: textItem('section'), 'aria-labelledby': 'faq-title' },
    el(
      'div',
      { class: ui('container') },
      el(
        'div',
        { class: textItem('sectionHead') },
        el('span', { class: ui('eyebrow') }, 'FAQ'),
        el('h2', { id: 'faq-title', class: textItem('sectionTitle') }, 'Questions we hear often'),
      ),
      el(
        'div',
        { class: textItem('faq') },
        ...FAQ.map(([query, first]) =>
          el(
            'details',
            { class: textItem('faqItem') },
            el('summary', { class: textItem('faqQuestion') }, query),
            el('div', { class: textItem('faqAnswer') }, el('p', null, first)),
          ),
        ),
      ),
    ),
  );
}

function footer(): HTMLElement {
  return el(
    'footer',
    { class: textItem('footer') },
    el(
      'div',
      { class: uis('container') + ' ' + textItem('footerBar') },
      el('span', null, `© ${new Date().getFullYear()} Balance Kitchen`),
      el('span', null, 'Balanced meals, prepared for your week.'),
      el('a', { href: '#top' }, 'Back to top'),
    ),
  );
}

function render(): void {
  const app = document.getElementById('app');
  if (!app) return;
  document.body.id = 'top';
  document.body.tabIndex = -1;
  const main = el(
    'main',
    { id: 'main', tabindex: '-1' },
    hero(),
    howItWorks(),
    packsAndPlans(),
    faq(),
    enquirySection(textItem),
  );
  app.replaceChildren(skipLink('main'), header(), main, footer());
  mountChatWidget(document.body);
}

render();
