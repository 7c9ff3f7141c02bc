/** The addresses an LMS needs to know about osv, all derived from PUBLIC_URL. */
export class ToolUrls {
  readonly base: string;

  constructor(publicUrl: string) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  /**
   * The shared OIDC login initiation (GET and POST), for LMSs connected before tenants had URLs
   * of their own: it works while a single tenant registered the LMS.
   */
  get login(): string {
    return `${this.base}/lti/login`;
  }

  /** The shared id_token POST (redirect URI) of logins started at the shared login URL. */
  get launch(): string {
    return `${this.base}/lti/launch`;
  }

  /** The tenant's OIDC login initiation: it finds the LMS among this tenant's registrations only. */
  tenantLogin(tenantSlug: string): string {
    return `${this.base}/lti/tenants/${tenantSlug}/login`;
  }

  /** The tenant's id_token POST: the redirect URI and target link URI of every message. */
  tenantLaunch(tenantSlug: string): string {
    return `${this.base}/lti/tenants/${tenantSlug}/launch`;
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
