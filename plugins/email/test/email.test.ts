import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins, createCourse, enableCommerce, member, providerEnv } from '../../../test/support/commerce.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { countOf } from '../../../test/support/jobs.js';
import { type SendgridStub, startSendgridStub } from '../../../test/support/sendgrid-stub.js';

let platform: TestPlatform;
let sendgrid: SendgridStub;
let acme: Tenancy;
let devTenant: Tenancy;

async function enrollIn(tenant: Tenancy, course: { id: string }, name: string, profile: { email?: string; language?: string } = {}) {
  const learner = await member(platform.kernel, tenant.tenantId, name, { email: profile.email, name: `${name[0]!.toUpperCase()}${name.slice(1)}` });
  const request = platform.http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`).set('Authorization', learner.auth);
  const response = await (profile.language ? request.set('Accept-Language', profile.language) : request);
  expect(response.body.status).toBe('enrolled');
  return learner;
}

const messagesTo = (email: string) => sendgrid.accepted.filter((mail) => mail.to === email);

beforeAll(async () => {
  sendgrid = await startSendgridStub();
  platform = await startTestPlatform({ plugins: commercePlugins(), env: providerEnv({ sendgrid }), kernel: { jobBackoffMs: 50 } });
  acme = await createTenant(platform.kernel, 'acme');
  devTenant = await createTenant(platform.kernel, 'devsite');
  for (const tenant of [acme, devTenant]) await enableCommerce(platform.kernel, tenant.tenantId);
  await platform.http
    .put('/api/v1/admin/plugins/email/settings')
    .set('Authorization', acme.admin)
    .send({ sendgridApiKey: sendgrid.apiKey, fromEmail: 'courses@acme.edu', fromName: 'ACME Courses' })
    .expect(200);
});
afterAll(async () => {
  await platform?.close();
  await sendgrid?.close();
});

describe('email through SendGrid', () => {
  it('welcomes an enrolled learner once, through the real client pointed at SendGrid’s API', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'welcome', title: 'Statistics <101>' });
    await enrollIn(acme, course, 'ada', { email: 'ada@learners.test' });
    const [mail] = await eventually(async () => (messagesTo('ada@learners.test').length > 0 ? messagesTo('ada@learners.test') : undefined));
    expect(mail).toMatchObject({ apiKey: sendgrid.apiKey, from: 'courses@acme.edu', subject: 'Welcome to Statistics <101>' });
    expect(mail!.text).toContain('Hi Ada,');
    expect(mail!.html).toContain('Statistics &lt;101&gt;');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messagesTo('ada@learners.test')).toHaveLength(1);
    const stored = await platform.http.get('/api/v1/plugins/email/outbox?status=sent').set('Authorization', acme.admin);
    expect(stored.body[0]).toMatchObject({ id: mail!.messageId, template: 'welcome', status: 'sent', to: 'ada@learners.test' });
    const send = await countOf(platform.kernel, "SELECT count(*) FROM outbox WHERE name = 'email:send' AND queue = 'emails' AND status = 'done'");
    expect(send).toBe(1);
  });

  it('writes in Spanish to a learner who reads Spanish', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'bienvenida', title: 'Estadística' });
    await enrollIn(acme, course, 'beatriz', { email: 'bea@learners.test', language: 'es-MX,es;q=0.9' });
    const [mail] = await eventually(async () => (messagesTo('bea@learners.test').length > 0 ? messagesTo('bea@learners.test') : undefined));
    expect(mail!.subject).toBe('Te damos la bienvenida a Estadística');
    expect(mail!.text).toContain('Hola, Beatriz:');
  });

  it('retries SendGrid outages on the emails queue and sends once it recovers', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'outage', title: 'Outage' });
    sendgrid.failNext(503, 2);
    await enrollIn(acme, course, 'cal', { email: 'cal@learners.test' });
    await eventually(async () => messagesTo('cal@learners.test').length > 0, 15_000);
    const [job] = (await platform.kernel.db.query("SELECT attempts FROM outbox WHERE name = 'email:send' ORDER BY id DESC LIMIT 1"))[0] as Array<{ attempts: number }>;
    expect(job!.attempts).toBe(3);
    expect(messagesTo('cal@learners.test')).toHaveLength(1);
  });

  it('marks a message SendGrid refuses for good as failed, without retrying', async () => {
    const course = await createCourse(platform.http, acme.instructor, { slug: 'bad-address', title: 'Bad address' });
    await enrollIn(acme, course, 'dee', { email: 'dee@invalid' });
    const failed = await eventually(async () => {
      const list = await platform.http.get('/api/v1/plugins/email/outbox?status=failed').set('Authorization', acme.admin);
      return list.body[0];
    });
    expect(failed.error).toContain('valid address');
  });

  it('keeps messages in the dev outbox of the admin API when the tenant has no SendGrid key', async () => {
    const course = await createCourse(platform.http, devTenant.instructor, { slug: 'dev', title: 'Dev course' });
    const before = sendgrid.accepted.length;
    await enrollIn(devTenant, course, 'eli', { email: 'eli@learners.test' });
    const held = await eventually(async () => {
      const list = await platform.http.get('/api/v1/plugins/email/outbox').set('Authorization', devTenant.admin);
      return list.body.find((message: { status: string }) => message.status === 'outbox');
    });
    expect(held).toMatchObject({ template: 'welcome', to: 'eli@learners.test', subject: 'Welcome to Dev course', locale: 'en' });
    expect(sendgrid.accepted.length).toBe(before);
    expect((await platform.http.get('/api/v1/plugins/email/outbox').set('Authorization', devTenant.instructor)).status).toBe(403);
    const acmeView = await platform.http.get('/api/v1/plugins/email/outbox').set('Authorization', acme.admin);
    expect(JSON.stringify(acmeView.body)).not.toContain('eli@learners.test');
    const settings = await platform.http.get('/api/v1/admin/plugins/email/settings').set('Authorization', acme.admin);
    expect(JSON.stringify(settings.body)).not.toContain(sendgrid.apiKey);
  });
});
