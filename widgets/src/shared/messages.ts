import { en, type MessageKey, type Messages } from '../i18n/en.js';
import { es } from '../i18n/es.js';

/** Every shipped language; a locale is one of these keys. */
export const catalogues: Record<string, Messages> = { en, es };

export type Locale = string;

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = catalogues[locale]?.[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks `<base>.one` or `<base>.other` by the locale's plural rules. */
export function translateCount(locale: Locale, base: 'catalog.count' | 'catalog.seats', count: number): string {
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return translate(locale, `${base}.${form}`, { count });
}
