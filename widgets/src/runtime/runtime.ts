/**
 * Page-wide state shared by the loader and every widget chunk. The loader and the chunks are built
 * separately, so they meet on a global registered under a symbol rather than on a shared module.
 */
export interface OsvRuntime {
  /** Origin of the osv server, e.g. `https://osv.example.edu`. */
  apiBase: string;
  /** The site's publishable key (`pk_…`). */
  key?: string;
  /** Forced locale (`en`, `es`); otherwise each widget follows its `lang`. */
  locale?: string;
  /** A member's short-lived access token (embed token or LTI launch token). */
  token?: string;
  /** Asked for a fresh token when the API answers that the current one expired. */
  refreshToken?: () => Promise<string | undefined>;
  /** Fires `change` when the key, locale or identity changes. */
  readonly changes: EventTarget;
}

const RUNTIME = Symbol.for('osv.runtime');

export function osvRuntime(): OsvRuntime {
  const holder = globalThis as typeof globalThis & { [RUNTIME]?: OsvRuntime };
  holder[RUNTIME] ??= { apiBase: new URL(import.meta.url).origin, changes: new EventTarget() };
  return holder[RUNTIME];
}

export function updateRuntime(patch: Partial<Omit<OsvRuntime, 'changes'>>): void {
  const runtime = osvRuntime();
  Object.assign(runtime, patch);
  runtime.changes.dispatchEvent(new Event('change'));
}
