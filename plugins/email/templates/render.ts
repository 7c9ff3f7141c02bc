import type { Locale } from '../settings.js';
import { en } from './en.js';
import { es } from './es.js';
import type { Catalogue, TemplateName } from './types.js';

const catalogues: Record<Locale, Catalogue> = { en, es };
const fallbackName: Record<Locale, string> = { en: 'there', es: 'estudiante' };

export interface RenderInput {
  name: string | null;
  courseTitle: string;
  /** Smallest currency unit, as Stripe counts it. */
  amountCents?: number;
  /** A running total the message also states (e.g. everything refunded so far). */
  totalCents?: number;
  currency?: string;
  deadline?: Date;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

export function formatAmount(locale: Locale, amountCents: number, currency: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
  // Zero-decimal currencies (JPY…) are counted in whole units by Stripe.
  return format.format(amountCents / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

export function render(template: TemplateName, locale: Locale, input: RenderInput): Rendered {
  const values = {
    name: input.name?.trim() || fallbackName[locale],
    courseTitle: input.courseTitle,
    amount: input.amountCents === undefined ? '' : formatAmount(locale, input.amountCents, input.currency ?? 'usd'),
    total: input.totalCents === undefined ? '' : formatAmount(locale, input.totalCents, input.currency ?? 'usd'),
    deadline: input.deadline
      ? `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(input.deadline)} UTC`
      : '',
  };
  const chosen = catalogues[locale][template];
  const paragraphs = chosen.body(values);
  const escaped = chosen.body(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, escapeHtml(value)])) as typeof values);
  return {
    subject: chosen.subject(values),
    text: paragraphs.join('\n\n'),
    html: `<!doctype html><html lang="${locale}"><body>${escaped.map((paragraph) => `<p>${paragraph}</p>`).join('')}</body></html>`,
  };
}
