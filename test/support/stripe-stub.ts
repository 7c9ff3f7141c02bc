/**
 * A local HTTP server that follows Stripe's API contract for what osv uses, so the real `stripe`
 * SDK can talk to it: form-encoded bracket parameters in, Stripe JSON objects and error shapes with
 * Stripe's status codes out, Idempotency-Key replay (and refusal of a reused key with other
 * parameters). Test helpers move sessions along (paid, expired, refunded) and build the event that
 * Stripe would send for it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Params = Record<string, unknown>;
type StripeObject = Record<string, unknown> & { id: string };

export interface StripeRequest {
  method: string;
  path: string;
  params: Params;
  idempotencyKey: string | undefined;
  status: number;
}

export interface StripeStub {
  /** Where it listens, for STRIPE_API_BASE. */
  baseUrl: string;
  secretKey: string;
  requests: StripeRequest[];
  sessions: Map<string, StripeObject>;
  /** The next `count` API calls answer this status with a Stripe error body (not stored for replay). */
  failNext(status: number, count?: number): void;
  /** Marks the session paid (creating its PaymentIntent and Charge); returns `checkout.session.completed`. */
  completeSession(sessionId: string): StripeObject;
  expireSession(sessionId: string): StripeObject;
  /** `charge.refunded` for the charge of a PaymentIntent, as the charge stands now. */
  chargeRefundedEvent(paymentIntentId: string): StripeObject;
  /** An event envelope as Stripe sends it to webhook endpoints. */
  event(type: string, object: StripeObject): StripeObject;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

/** `line_items[0][price_data][currency]=usd` → `{ line_items: [{ price_data: { currency: 'usd' } }] }`. */
export function parseBracketParams(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: Params | unknown[] = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[segment] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1]!);
      container[segment] ??= nextIsIndex ? [] : {};
      node = container[segment] as Params;
    });
  }
  return root;
}

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
  ) {
    super(body.message);
  }
}

const missing = (param: string) => new StripeError(400, { type: 'invalid_request_error', code: 'parameter_missing', param, message: `Missing required param: ${param}.` });
const noSuch = (kind: string, value: string, param?: string) =>
  new StripeError(404, { type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${value}'` });

export async function startStripeStub(): Promise<StripeStub> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const requests: StripeRequest[] = [];
  const sessions = new Map<string, StripeObject>();
  const charges = new Map<string, StripeObject>();
  const idempotent = new Map<string, { hash: string; status: number; body: unknown }>();
  let failures: { status: number; count: number } | undefined;

  function createSession(params: Params): StripeObject {
    if (!params.mode) throw missing('mode');
    if (!params.success_url) throw missing('success_url');
    const items = params.line_items as Array<{ quantity?: string; price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } } }> | undefined;
    if (!items?.length) throw missing('line_items');
    const item = items[0]!;
    const currency = item.price_data?.currency;
    if (!currency) throw missing('line_items[0][price_data][currency]');
    if (!item.price_data?.product_data?.name) throw missing('line_items[0][price_data][product_data][name]');
    const unitAmount = Number(item.price_data.unit_amount);
    if (!Number.isInteger(unitAmount) || unitAmount < 0) {
      throw new StripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'line_items[0][price_data][unit_amount]', message: 'Invalid integer' });
    }
    const expiresAt = params.expires_at === undefined ? now() + 24 * 3600 : Number(params.expires_at);
    if (expiresAt < now() + 30 * 60 - 5 || expiresAt > now() + 24 * 3600) {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'expires_at',
        message: 'The `expires_at` timestamp must be at least 30 minutes and less than 24 hours from Checkout Session creation.',
      });
    }
    const sessionId = id('cs');
    const session: StripeObject = {
      id: sessionId,
      object: 'checkout.session',
      mode: params.mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: unitAmount * Number(item.quantity ?? 1),
      amount_total: unitAmount * Number(item.quantity ?? 1),
      currency,
      client_reference_id: params.client_reference_id ?? null,
      customer_email: params.customer_email ?? null,
      locale: params.locale ?? null,
      metadata: params.metadata ?? {},
      payment_intent: null,
      success_url: params.success_url,
      cancel_url: params.cancel_url ?? null,
      expires_at: expiresAt,
      created: now(),
      livemode: false,
      url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      line_item_names: [item.price_data.product_data.name],
    };
    sessions.set(sessionId, session);
    return session;
  }

  function createRefund(params: Params): StripeObject {
    const paymentIntent = params.payment_intent as string | undefined;
    if (!paymentIntent && !params.charge) throw missing('payment_intent');
    const charge = [...charges.values()].find((candidate) => candidate.payment_intent === paymentIntent || candidate.id === params.charge);
    if (!charge) throw noSuch('payment_intent', String(paymentIntent ?? params.charge), 'payment_intent');
    const left = Number(charge.amount) - Number(charge.amount_refunded);
    const amount = params.amount === undefined ? left : Number(params.amount);
    if (left === 0) throw new StripeError(400, { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Charge ${charge.id} has already been refunded.` });
    if (amount > left) {
      throw new StripeError(400, { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount', message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})` });
    }
    const refund: StripeObject = {
      id: id('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      currency: charge.currency,
      payment_intent: charge.payment_intent,
      reason: params.reason ?? null,
      metadata: params.metadata ?? {},
      status: 'succeeded',
      created: now(),
    };
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    (charge.refunds as { data: StripeObject[] }).data.unshift(refund);
    return refund;
  }

  function route(method: string, path: string, params: Params): StripeObject {
    if (method === 'POST' && path === '/v1/checkout/sessions') return createSession(params);
    const sessionMatch = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/);
    if (method === 'GET' && sessionMatch) {
      const session = sessions.get(decodeURIComponent(sessionMatch[1]!));
      if (!session) throw noSuch('checkout.session', sessionMatch[1]!);
      return session;
    }
    if (method === 'POST' && path === '/v1/refunds') return createRefund(params);
    throw new StripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` });
  }

  function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
    res.end(JSON.stringify(body, null, 2));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const method = req.method ?? 'GET';
    const params = parseBracketParams(method === 'GET' ? url.searchParams.toString() : raw);
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    const record = (status: number) => requests.push({ method, path: url.pathname, params, idempotencyKey, status });

    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      record(401);
      return answer(res, 401, { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${String(req.headers.authorization).slice(7, 15)}****` } });
    }
    if (failures && failures.count > 0) {
      failures.count -= 1;
      record(failures.status);
      const type = failures.status === 429 ? 'rate_limit_error' : failures.status >= 500 ? 'api_error' : 'invalid_request_error';
      return answer(res, failures.status, { error: { type, message: `Injected failure (${failures.status})` } });
    }
    const replayKey = idempotencyKey && method === 'POST' ? `${secretKey}:${idempotencyKey}` : undefined;
    const hash = createHash('sha256').update(`${method} ${url.pathname} ${raw}`).digest('hex');
    const earlier = replayKey ? idempotent.get(replayKey) : undefined;
    if (earlier) {
      if (earlier.hash !== hash) {
        record(400);
        return answer(res, 400, {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          },
        });
      }
      record(earlier.status);
      return answer(res, earlier.status, earlier.body, { 'idempotent-replayed': 'true' });
    }
    let status = 200;
    let body: unknown;
    try {
      body = route(method, url.pathname, params);
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      status = error.status;
      body = { error: error.body };
    }
    if (replayKey) idempotent.set(replayKey, { hash, status, body });
    record(status);
    answer(res, status, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => answer(res, 500, { error: { type: 'api_error', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const event = (type: string, object: StripeObject): StripeObject => ({
    id: id('evt'),
    object: 'event',
    api_version: '2025-01-01',
    created: now(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object: structuredClone(object) },
  });

  const session = (sessionId: string) => {
    const found = sessions.get(sessionId);
    if (!found) throw new Error(`no session ${sessionId}`);
    return found;
  };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    secretKey,
    requests,
    sessions,
    failNext(status, count = 1) {
      failures = { status, count };
    },
    completeSession(sessionId) {
      const paid = session(sessionId);
      const paymentIntent = id('pi');
      Object.assign(paid, { status: 'complete', payment_status: 'paid', payment_intent: paymentIntent });
      const chargeId = id('ch');
      charges.set(chargeId, {
        id: chargeId,
        object: 'charge',
        amount: paid.amount_total,
        amount_captured: paid.amount_total,
        amount_refunded: 0,
        currency: paid.currency,
        paid: true,
        refunded: false,
        payment_intent: paymentIntent,
        refunds: { object: 'list', data: [], has_more: false },
        created: now(),
      });
      return event('checkout.session.completed', paid);
    },
    expireSession(sessionId) {
      const expired = session(sessionId);
      Object.assign(expired, { status: 'expired' });
      return event('checkout.session.expired', expired);
    },
    chargeRefundedEvent(paymentIntentId) {
      const charge = [...charges.values()].find((candidate) => candidate.payment_intent === paymentIntentId);
      if (!charge) throw new Error(`no charge for ${paymentIntentId}`);
      return event('charge.refunded', charge);
    },
    event,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
