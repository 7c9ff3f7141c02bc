import clientModule from '@sendgrid/client';
import mailModule from '@sendgrid/mail';

// Both packages export a shared singleton and attach their class to it; per-tenant keys need
// instances of their own, which their typings only describe as the singleton's type.
type SendgridClient = typeof clientModule;
type MailService = typeof mailModule;
const { Client } = clientModule as unknown as { Client: new () => SendgridClient };
const { MailService } = mailModule as unknown as { MailService: new () => MailService };

export interface SendgridApiOptions {
  /** Where the client sends (SENDGRID_API_BASE); default SendGrid's own API. */
  baseUrl?: string;
  timeoutMs?: number;
}

export interface OutgoingMail {
  to: string;
  from: { email: string; name: string };
  subject: string;
  text: string;
  html: string;
  /** Our message id, echoed back by SendGrid's event webhooks. */
  messageId: string;
}

/** SendGrid's verdict: accepted (with its message id), or refused for good (no retry will help). */
export type SendResult = { accepted: true; providerMessageId: string | null } | { accepted: false; error: string };

/** One SendGrid client per API key (tenants bring their own); each owns its base URL. */
export class SendgridMailer {
  private readonly services = new Map<string, MailService>();

  constructor(private readonly api: SendgridApiOptions) {}

  async send(apiKey: string, mail: OutgoingMail): Promise<SendResult> {
    try {
      const [response] = await this.service(apiKey).send({
        to: mail.to,
        from: mail.from,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        customArgs: { osv_message_id: mail.messageId },
      });
      const providerMessageId = response.headers['x-message-id'];
      return { accepted: true, providerMessageId: typeof providerMessageId === 'string' ? providerMessageId : null };
    } catch (error) {
      const status = (error as { code?: number }).code;
      // 400: the message itself is wrong (e.g. the address); 401/403/413/429/5xx may pass later.
      if (status === 400) return { accepted: false, error: describe(error) };
      throw new Error(`SendGrid refused the message: ${describe(error)}`);
    }
  }

  private service(apiKey: string): MailService {
    let service = this.services.get(apiKey);
    if (!service) {
      const client = new Client();
      client.setApiKey(apiKey);
      // setApiKey() resets the base URL to SendGrid's, so the override must come after it.
      if (this.api.baseUrl) client.setDefaultRequest('baseUrl', `${this.api.baseUrl.replace(/\/+$/, '')}/`);
      service = new MailService();
      service.setClient(client);
      service.setTimeout(this.api.timeoutMs ?? 15_000);
      this.services.set(apiKey, service);
    }
    return service;
  }
}

function describe(error: unknown): string {
  const failure = error as { code?: number; message?: string; response?: { body?: { errors?: Array<{ message?: string }> } } };
  const details = failure.response?.body?.errors?.map((item) => item.message).filter(Boolean).join('; ');
  return `${failure.code ?? 'network'}: ${details || failure.message || 'unknown error'}`.slice(0, 500);
}
