export interface MessageRow {
  id: string;
  dedupe_key: string;
  template: string;
  locale: string;
  user_id: string | null;
  to_email: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  status: 'queued' | 'sent' | 'outbox' | 'failed' | 'skipped';
  provider_message_id: string | null;
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export const MESSAGES = 'email_messages';
export const SEND_JOB = 'send';
