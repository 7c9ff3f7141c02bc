import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercePlugins, createCourse, enableCommerce, member, providerEnv } from '../../support/commerce.js';
import { COMMERCE_WORKER_SCRIPT } from '../../support/commerce-worker-process.js';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { CHILD_JOB_LOCK_MS, startWorkerProcess, type WorkerProcess } from '../../support/job-worker-process.js';
import { JOB_MODES, outboxRows } from '../../support/jobs.js';
import { type SendgridStub, startSendgridStub } from '../../support/sendgrid-stub.js';

describe.each(JOB_MODES)('a worker killed while sending an email ($mode)', ({ redis }) => {
  let platform: TestPlatform;
  let sendgrid: SendgridStub;
  let acme: Tenancy;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    sendgrid = await startSendgridStub();
    // This process serves HTTP and enqueues; the jobs run in the worker process.
    platform = await startTestPlatform({ redis, plugins: commercePlugins(), env: providerEnv({ sendgrid }), kernel: { runWorkers: false } });
    acme = await createTenant(platform.kernel, 'acme');
    await enableCommerce(platform.kernel, acme.tenantId);
    await platform.http.put('/api/v1/admin/plugins/email/settings').set('Authorization', acme.admin).send({ sendgridApiKey: sendgrid.apiKey }).expect(200);
  });
  afterAll(async () => {
    await worker?.kill();
    await platform?.close();
    await sendgrid?.close();
  });

  it('sends the welcome email exactly once after a restart', async () => {
    const { http, kernel } = platform;
    worker = await startWorkerProcess(platform.env, COMMERCE_WORKER_SCRIPT);
    const course = await createCourse(http, acme.instructor, { slug: 'crash', title: 'Crash course' });
    const ada = await member(kernel, acme.tenantId, 'ada', { email: 'ada@learners.test' });
    const inFlight = sendgrid.holdNext();
    expect((await http.post(`/api/v1/plugins/enrollment/courses/${course.id}/enroll`).set('Authorization', ada.auth)).body.status).toBe('enrolled');

    await inFlight;
    await worker.kill();
    await eventually(async () => sendgrid.abandoned === 1);
    expect(sendgrid.accepted).toEqual([]);
    const [send] = await outboxRows(kernel, 'email:send');
    expect(send!.status).not.toBe('done');

    const next = await platform.restart({ kernel: { runWorkers: true, jobLockMs: CHILD_JOB_LOCK_MS } });
    await eventually(async () => sendgrid.accepted.length === 1, 20_000);
    await eventually(async () => (await outboxRows(next, 'email:send'))[0]!.status === 'done');
    // Nothing else arrives: the job ran to completion once and the message is marked sent.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sendgrid.accepted.map((mail) => [mail.to, mail.subject])).toEqual([['ada@learners.test', 'Welcome to Crash course']]);
    const [message] = (await kernel.db.query("SELECT status, provider_message_id FROM email_messages WHERE template = 'welcome'"))[0] as Array<{ status: string; provider_message_id: string }>;
    expect(message).toEqual({ status: 'sent', provider_message_id: sendgrid.accepted[0]!.providerMessageId });
  });
});
