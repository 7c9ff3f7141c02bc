/**
 * Formats an amount given in the currency's smallest unit (as Stripe counts it): cents for `usd`,
 * whole yen for `jpy`.
 */
export function formatPrice(amount: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
