import { defineMigration } from '../../../core/plugin-api.js';

export default defineMigration({
  name: '0001-messages',
  async up({ sql }) {
    // One row per message the platform means to send; dedupe_key says which fact it announces, so
    // the same fact is never announced twice. Rows sent without SendGrid form the dev outbox.
    await sql(`CREATE TABLE email_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
      dedupe_key text NOT NULL,
      template text NOT NULL,
      locale text NOT NULL,
      user_id uuid,
      to_email text,
      subject text NOT NULL,
      text_body text NOT NULL,
      html_body text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'outbox', 'failed', 'skipped')),
      provider_message_id text,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      UNIQUE (tenant_id, dedupe_key)
    )`);
    await sql('CREATE INDEX email_messages_recent ON email_messages (tenant_id, created_at DESC)');
  },
  async down({ sql }) {
    await sql('DROP TABLE IF EXISTS email_messages');
  },
});
