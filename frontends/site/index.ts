import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { mustClass } from '../lib/css-modules.js';
import { h } from '../ui/dom.js';
import { brand, placeholder, skipLink, themeToggle, ui, uis } from '../ui/components.js';
import { enquirySection } from './enquiry.js';
import { mountChatWidget } from './chat-widget.js';
import { loadCatalogue } from './catalogue.js';
import styles from './site.module.css';

initTheme();
const s = (name: string): string => mustClass(styles, name);

const NAV = [
  ['#how-it-works', 'How it works'],
  ['#packs-and-plans', 'Packs & plans'],
  ['#faq', 'FAQ'],
  ['#enquire', 'Enquire'],
] as const;

function header(): HTMLElement {
  return h(
    'header',
    { class: s('header') },
    h(
      'div',
      { class: uis('container') + ' ' + s('headerBar') },
      brand('#top'),
      h(
        'nav',
        { class: s('nav'), 'aria-label': 'Main' },
        h(
          'ul',
          { class: s('navList') },
          ...NAV.map(([href, label]) => h('li', null, h('a', { href }, label))),
        ),
      ),
      h(
        'div',
        { class: s('headerActions') },
        themeToggle(),
        h(
          'a',
          { class: uis('button', 'small') + ' ' + s('headerCta'), href: '#enquire' },
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
  svg.setAttribute('class', s('heroArt'));
  const shape = (tag: string, cls: string, attrs: Record<string, string | number>): void => {
    const el = document.createElementNS(ns, tag);
    el.setAttribute('class', s(cls));
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
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
  for (const [cx, cy, r] of [
    [150, 160, 9],
    [130, 200, 7],
    [165, 210, 8],
    [250, 230, 10],
    [270, 215, 7],
    [235, 250, 6],
  ] as const) {
    shape('circle', 'artGreen', { cx, cy, r });
  }
  return svg;
}

function hero(): HTMLElement {
  return h(
    'section',
    { class: s('hero'), 'aria-labelledby': 'hero-title' },
    h(
      'div',
      { class: uis('container') + ' ' + s('heroGrid') },
      h(
        'div',
        null,
        h('span', { class: ui('eyebrow') }, 'Weekly meal prep'),
        h(
          'h1',
          { id: 'hero-title', class: s('heroTitle') },
          'Balanced meals, ',
          h('em', null, 'prepared'),
          ' for your week.',
        ),
        h(
          'p',
          { class: s('lead') },
          'Chef-cooked, nutritionally balanced meals planned around your goals and tastes, delivered chilled and ready to heat. Less time planning and cooking, more time for everything else.',
        ),
        h(
          'div',
          { class: ui('actions') },
          h('a', { class: ui('button'), href: '#enquire' }, 'Make an enquiry'),
          h('a', { class: uis('button', 'secondary'), href: '#how-it-works' }, 'How it works'),
        ),
        h(
          'ul',
          { class: s('heroPoints') },
          h('li', null, 'Planned with you'),
          h('li', null, 'Cooked fresh each week'),
          h('li', null, 'Pause or change any time'),
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
  return h(
    'section',
    { id: 'how-it-works', class: s('section'), 'aria-labelledby': 'how-title' },
    h(
      'div',
      { class: ui('container') },
      h(
        'div',
        { class: s('sectionHead') },
        h('span', { class: ui('eyebrow') }, 'How it works'),
        h(
          'h2',
          { id: 'how-title', class: s('sectionTitle') },
          'From first hello to a full fridge in four steps',
        ),
      ),
      h(
        'ol',
        { class: s('steps') },
        ...STEPS.map(([title, text]) =>
          h(
            'li',
            { class: s('step') },
            h('h3', { class: s('stepTitle') }, title),
            h('p', { class: s('stepText') }, text),
          ),
        ),
      ),
    ),
  );
}

function packsAndPlans(): HTMLElement {
  const slot = h('div', { dataset: { catalogue: '' } });
  void loadCatalogue(slot, s);
  return h(
    'section',
    {
      id: 'packs-and-plans',
      class: s('section') + ' ' + s('sectionAlt'),
      'aria-labelledby': 'packs-title',
    },
    h(
      'div',
      { class: ui('container') },
      h(
        'div',
        { class: s('sectionHead') },
        h('span', { class: ui('eyebrow') }, 'Packs & plans'),
        h('h2', { id: 'packs-title', class: s('sectionTitle') }, 'One-off packs or a weekly plan'),
      ),
      h(
        'div',
        { class: s('catalogue') },
        slot,
        h('a', { class: ui('button'), href: '#enquire' }, 'Ask about a plan'),
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
  return h(
    'section',
    { id: 'faq', class: s('section'), 'aria-labelledby': 'faq-title' },
    h(
      'div',
      { class: ui('container') },
      h(
        'div',
        { class: s('sectionHead') },
        h('span', { class: ui('eyebrow') }, 'FAQ'),
        h('h2', { id: 'faq-title', class: s('sectionTitle') }, 'Questions we hear often'),
      ),
      h(
        'div',
        { class: s('faq') },
        ...FAQ.map(([q, a]) =>
          h(
            'details',
            { class: s('faqItem') },
            h('summary', { class: s('faqQuestion') }, q),
            h('div', { class: s('faqAnswer') }, h('p', null, a)),
          ),
        ),
      ),
    ),
  );
}

function footer(): HTMLElement {
  return h(
    'footer',
    { class: s('footer') },
    h(
      'div',
      { class: uis('container') + ' ' + s('footerBar') },
      h('span', null, `© ${new Date().getFullYear()} Balance Kitchen`),
      h('span', null, 'Balanced meals, prepared for your week.'),
      h('a', { href: '#top' }, 'Back to top'),
    ),
  );
}

function render(): void {
  const app = document.getElementById('app');
  if (!app) return;
  document.body.id = 'top';
  document.body.tabIndex = -1;
  const main = h(
    'main',
    { id: 'main', tabindex: '-1' },
    hero(),
    howItWorks(),
    packsAndPlans(),
    faq(),
    enquirySection(s),
  );
  app.replaceChildren(skipLink('main'), header(), main, footer());
  mountChatWidget(document.body);
}

render();
