/**
 * A local `/v3/mail/send` that answers like SendGrid (202 with X-Message-Id; 400/401 with its
 * `errors` body) and records what the real `@sendgrid/mail` client sent. It can hold the next
 * request unanswered, to kill a worker while its email is in flight.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMail {
  apiKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  from: string;
  /** Our message id (custom_args.osv_message_id). */
  messageId: string;
  providerMessageId: string;
}

export interface SendgridStub {
  /** Where it listens, for SENDGRID_API_BASE. */
  baseUrl: string;
  apiKey: string;
  /** Messages SendGrid accepted (answered 202). */
  accepted: SentMail[];
  /** Requests whose connection closed before any answer (the sender died mid-request). */
  abandoned: number;
  /** The next request is read and then left unanswered; resolves once it has arrived. */
  holdNext(): Promise<void>;
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

interface MailBody {
  personalizations?: Array<{ to?: Array<{ email?: string }> }>;
  from?: { email?: string };
  subject?: string;
  content?: Array<{ type: string; value: string }>;
  custom_args?: Record<string, string>;
}

export async function startSendgridStub(): Promise<SendgridStub> {
  const apiKey = `SG.${randomBytes(10).toString('hex')}.${randomBytes(10).toString('hex')}`;
  const stub = { accepted: [] as SentMail[], abandoned: 0 };
  let hold: (() => void) | undefined;
  let failures: { status: number; count: number } | undefined;
  const held = new Set<ServerResponse>();

  const errors = (res: ServerResponse, status: number, message: string, field: string | null = null) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message, field, help: null }] }));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v3/mail/send') return errors(res, 404, 'Not found');
    if (hold) {
      const arrived = hold;
      hold = undefined;
      held.add(res);
      res.on('close', () => {
        if (!res.writableEnded) stub.abandoned += 1;
        held.delete(res);
      });
      arrived();
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) return errors(res, 401, 'The provided authorization grant is invalid, expired, or revoked');
    if (failures && failures.count > 0) {
      failures.count -= 1;
      return errors(res, failures.status, `Injected failure (${failures.status})`);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString()) as MailBody;
    const to = body.personalizations?.[0]?.to?.[0]?.email;
    if (!to || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to)) return errors(res, 400, 'Does not contain a valid address.', 'personalizations.0.to.0.email');
    if (!body.from?.email) return errors(res, 400, 'The from object must be provided for every email send.', 'from');
    if (!body.subject) return errors(res, 400, 'The subject is required.', 'subject');
    const providerMessageId = randomBytes(11).toString('base64url');
    stub.accepted.push({
      apiKey,
      to,
      from: body.from.email,
      subject: body.subject,
      text: body.content?.find((part) => part.type === 'text/plain')?.value ?? '',
      html: body.content?.find((part) => part.type === 'text/html')?.value ?? '',
      messageId: body.custom_args?.osv_message_id ?? '',
      providerMessageId,
    });
    res.writeHead(202, { 'x-message-id': providerMessageId });
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => errors(res, 500, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(stub, {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    holdNext: () =>
      new Promise<void>((resolve) => {
        hold = resolve;
      }),
    failNext(status: number, count = 1) {
      failures = { status, count };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
