import { catalogues, type Locale } from './messages.js';

function supported(tag: string | null | undefined): Locale | undefined {
  const language = tag?.toLowerCase().split('-')[0];
  return language && language in catalogues ? language : undefined;
}

/** The nearest `lang` above an element, looking through the shadow roots it sits in. */
function inheritedLang(element: Element): string | null {
  let node: Element | null = element.parentElement ?? ((element.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  while (node) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  }
  return null;
}

/**
 * The element's own `locale` or `lang` attribute, else a locale forced for the page
 * (`data-locale`, `osv.push(['locale', …])`), else the page's `lang`, else the browser's.
 */
export function resolveLocale(element: Element, pageLocale: string | undefined): Locale {
  const candidates = [element.getAttribute('locale'), element.getAttribute('lang'), pageLocale, inheritedLang(element), ...navigator.languages];
  for (const candidate of candidates) {
    const locale = supported(candidate);
    if (locale) return locale;
  }
  return 'en';
}

