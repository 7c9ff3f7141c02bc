import { LitElement } from 'lit';
import type { MessageKey } from '../i18n/en.js';
import { osvRuntime } from '../runtime/runtime.js';
import { type Credentials, OsvApi, OsvApiError } from './api-client.js';
import { resolveLocale } from './locale.js';
import { type Params, translate } from './messages.js';

/**
 * What every osv widget shares: credentials (the page's, or the element's own `key`, `api` and
 * `token`, e.g. inside an LTI launch), the locale, messages and events.
 */
export class OsvElement extends LitElement {
  static override properties = {
    key: { type: String },
    apiBase: { type: String, attribute: 'api' },
    token: { type: String },
    locale: { type: String },
  };

  declare key?: string;
  declare apiBase?: string;
  /** A member's access token for this element only (the page-wide one comes from `identify`). */
  declare token?: string;
  declare locale?: string;

  protected readonly client = new OsvApi(() => this.credentials());
  private readonly runtimeChanged = () => {
    this.requestUpdate();
    this.identityChanged();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    osvRuntime().changes.addEventListener('change', this.runtimeChanged);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    osvRuntime().changes.removeEventListener('change', this.runtimeChanged);
  }

  protected credentials(): Credentials {
    const page = osvRuntime();
    if (this.token) return { apiBase: this.apiBase ?? page.apiBase, key: this.key ?? page.key, token: this.token };
    return { apiBase: this.apiBase ?? page.apiBase, key: this.key ?? page.key, token: page.token, refreshToken: page.refreshToken };
  }

  protected get signedIn(): boolean {
    return Boolean(this.credentials().token);
  }

  /** Called when the page's key, locale or identity changes. */
  protected identityChanged(): void {}

  protected get currentLocale(): string {
    return resolveLocale(this, osvRuntime().locale);
  }

  protected t(key: MessageKey, params?: Params): string {
    return translate(this.currentLocale, key, params);
  }

  /** Dispatches `osv-<name>`, which crosses shadow roots; `osv.push(['on', name, fn])` listens to it. */
  protected emit(name: string, detail: unknown, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(`osv-${name}`, { detail, bubbles: true, composed: true, cancelable }));
  }

  protected describeError(error: unknown): string {
    if (!(error instanceof OsvApiError)) return this.t('error.other', { message: error instanceof Error ? error.message : String(error) });
    if (error.code === 'OSV_ERR_NETWORK') return this.t('error.network');
    if (error.code === 'OSV_ERR_ORIGIN_NOT_ALLOWED') return this.t('error.origin', { origin: window.location.origin });
    if (error.code === 'OSV_ERR_BAD_PUBLISHABLE_KEY') return this.t('error.keyRevoked');
    if (error.code === 'OSV_ERR_WIDGET_NOT_ALLOWED') return this.t('error.widget');
    if (error.code === 'OSV_ERR_UNAUTHENTICATED') return this.t('error.signIn');
    return this.t('error.other', { message: error.message });
  }
}
