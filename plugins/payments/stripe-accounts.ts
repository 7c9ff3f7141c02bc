import Stripe from 'stripe';
import { OsvError, type PluginContext, type Transaction } from '../../core/plugin-api.js';
import { type PaymentsSettings, paymentsSettingsSchema } from './settings.js';

/** How the SDK calls Stripe. Where it sends the calls is the deployment's STRIPE_API_BASE. */
export interface StripeApiOptions {
  /** The SDK retries network failures and 409/429/5xx with the same Idempotency-Key. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export interface StripeAccount {
  client: Stripe;
  webhookSecret: string;
}

/** Each tenant sells through its own Stripe account; clients are kept per secret key. */
export class StripeAccounts {
  private readonly clients = new Map<string, Stripe>();

  constructor(
    private readonly ctx: PluginContext,
    private readonly api: StripeApiOptions,
  ) {}

  async settings(tenantId: string, transaction?: Transaction): Promise<PaymentsSettings> {
    const parsed = paymentsSettingsSchema.safeParse(await this.ctx.settings(tenantId, transaction));
    return parsed.success ? parsed.data : {};
  }

  async isConfigured(tenantId: string, transaction?: Transaction): Promise<boolean> {
    const settings = await this.settings(tenantId, transaction);
    return Boolean(settings.stripeSecretKey && settings.stripeWebhookSecret);
  }

  async forTenant(tenantId: string, transaction?: Transaction): Promise<StripeAccount> {
    const { stripeSecretKey, stripeWebhookSecret } = await this.settings(tenantId, transaction);
    if (!stripeSecretKey || !stripeWebhookSecret) throw new OsvError('OSV_ERR_PAYMENTS_NOT_CONFIGURED');
    return { client: this.client(stripeSecretKey), webhookSecret: stripeWebhookSecret };
  }

  private client(secretKey: string): Stripe {
    let client = this.clients.get(secretKey);
    if (!client) {
      client = new Stripe(secretKey, {
        ...stripeHost(this.ctx.platform.providers.stripe),
        maxNetworkRetries: this.api.maxNetworkRetries ?? 2,
        timeout: this.api.timeoutMs ?? 20_000,
        telemetry: false,
        appInfo: { name: 'osv-payments' },
      });
      this.clients.set(secretKey, client);
    }
    return client;
  }
}

/** STRIPE_API_BASE (an origin such as `http://localhost:12111`, e.g. stripe-mock) as the SDK's own options. */
export function stripeHost(base: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!base) return {};
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (protocol === 'http' ? 80 : 443), protocol };
}

/** Stripe's failures reach clients as one catalogue error; the details go to the log only. */
export function providerFailure(ctx: PluginContext, error: unknown, action: string): OsvError {
  if (error instanceof OsvError) return error;
  const stripeError = error as { type?: string; code?: string; statusCode?: number; message?: string; requestId?: string };
  ctx.log.warn({ action, type: stripeError.type, code: stripeError.code, status: stripeError.statusCode, requestId: stripeError.requestId, err: stripeError.message }, 'stripe call failed');
  if (stripeError.type === 'StripeIdempotencyError') {
    return new OsvError('OSV_ERR_IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request');
  }
  return new OsvError('OSV_ERR_PAYMENT_PROVIDER');
}
