/**
 * A secret key in a page is a leak: refuse it before it is ever sent, and say so where the site's
 * developer will look.
 */
export function acceptedKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined;
  if (key.startsWith('sk_')) {
    console.error('osv: a secret key (sk_…) was put in the page. Revoke it now and use a publishable key (pk_…).');
    return undefined;
  }
  return key;
}
