import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, eventually, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';

let platform: TestPlatform;
let acme: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform();
  acme = await createTenant(platform.kernel, 'acme');
  await platform.kernel.plugins.setEnabled(acme.tenantId, 'example', true);
});
afterAll(() => platform?.close());

describe('example plugin', () => {
  it('creates a note and counts its words in a job after the commit', async () => {
    const { http } = platform;
    const created = await http.post('/api/v1/plugins/example/notes').set('Authorization', acme.instructor).send({ title: 'Week 1', body: 'read chapters one and two' });
    expect(created.status).toBe(201);
    const note = await eventually(async () => {
      const list = await http.get('/api/v1/plugins/example/notes').set('Authorization', acme.learner);
      return list.body.find((n: { id: string; word_count: number | null }) => n.id === created.body.id && n.word_count !== null);
    });
    expect(note.word_count).toBe(5);
  });

  it('applies the tenant settings', async () => {
    const { http } = platform;
    await http.put('/api/v1/admin/plugins/example/settings').set('Authorization', acme.admin).send({ greeting: 'Hola', maxNoteLength: 10 }).expect(200);
    expect((await http.get('/api/v1/plugins/example/greeting').set('Authorization', acme.learner)).body).toEqual({ greeting: 'Hola' });
    const long = await http.post('/api/v1/plugins/example/notes').set('Authorization', acme.instructor).send({ title: 't', body: 'far more than ten characters' });
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].field).toBe('body.body');
  });
});
