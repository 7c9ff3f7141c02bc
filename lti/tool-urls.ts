/** The addresses an LMS needs to know about osv, all derived from PUBLIC_URL. */
export class ToolUrls {
  readonly base: string;

  constructor(publicUrl: string) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  /** OIDC login initiation (GET and POST). */
  get login(): string {
    return `${this.base}/lti/login`;
  }

  /** Where the LMS posts the id_token: the redirect URI and target link URI of every message. */
  get launch(): string {
    return `${this.base}/lti/launch`;
  }

  /** Where a launch parked for a window of its own is redeemed. */
  get launchContinue(): string {
    return `${this.base}/lti/launch/continue`;
  }

  get setupPage(): string {
    return `${this.base}/lti/setup`;
  }

  get domain(): string {
    return new URL(this.base).host;
  }

  /** The tenant's public keys (each tenant signs with its own keys). */
  jwks(tenantSlug: string): string {
    return `${this.base}/lti/tenants/${tenantSlug}/jwks.json`;
  }

  canvasConfiguration(tenantSlug: string): string {
    return `${this.base}/lti/tenants/${tenantSlug}/canvas.json`;
  }

  /** IMS Dynamic Registration initiation; the key makes the URL a secret only the tenant's admins see. */
  dynamicRegistration(tenantSlug: string, key: string): string {
    return `${this.base}/lti/tenants/${tenantSlug}/register?key=${encodeURIComponent(key)}`;
  }
}
