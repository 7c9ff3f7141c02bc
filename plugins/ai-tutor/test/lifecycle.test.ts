import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../../core/kernel.js';
import { member } from '../../../test/support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { countOf } from '../../../test/support/jobs.js';
import tutorPlugin from '../plugin.js';
import { ask, enableTutor, settled, TUTOR, upload } from './tutor-support.js';

// The HTTP kernel runs no jobs: a test decides when materials are processed by booting a worker.
let platform: TestPlatform;
let acme: Tenancy;
let learner: string;

/** Runs every pending job with a worker kernel on the same database, then stops it. */
async function processMaterials(materialIds: string[]): Promise<void> {
  const worker: Kernel = await platform.restart({ env: { OSV_RUN_WORKERS: 'true' } });
  try {
    for (const id of materialIds) await settled(platform.http, acme.instructor, id);
  } finally {
    await worker.shutdown();
  }
}

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [tutorPlugin], env: { OSV_RUN_WORKERS: 'false' } });
  acme = await createTenant(platform.kernel, 'acme');
  await enableTutor(platform.kernel, acme.tenantId);
  learner = (await member(platform.kernel, acme.tenantId, 'ada')).auth;
});
afterAll(() => platform?.close());

const capital = (city: string) => `# Freedonia\n\nThe capital of Freedonia is ${city}, a city on the river Marx.`;

describe('replacing, re-indexing and deleting materials', () => {
  it('keeps students on the old version until the new one is indexed, then swaps it whole', async () => {
    const first = await upload(platform.http, acme.instructor, 'civics', { name: 'freedonia.md', bytes: capital('Alphaville'), title: 'Freedonia' });
    const queued = await platform.http.get(`${TUTOR}/materials/${first.body.id}`).set('Authorization', acme.instructor);
    expect(queued.body).toMatchObject({ status: 'queued', stage: 'parse', percent: 0, live: false });
    await processMaterials([first.body.id]);
    expect((await ask(platform.http, learner, { courseId: 'civics', question: 'What is the capital of Freedonia?' })).text).toContain('Alphaville');

    const replaced = await platform.http
      .put(`${TUTOR}/materials/${first.body.id}/file`)
      .set('Authorization', acme.instructor)
      .attach('file', Buffer.from(capital('Betatown')), 'freedonia-v2.md');
    expect(replaced.status).toBe(202);
    expect(replaced.body).toMatchObject({ status: 'queued', live: true });
    const during = await ask(platform.http, learner, { courseId: 'civics', question: 'What is the capital of Freedonia?' });
    expect(during.text).toContain('Alphaville');
    expect(during.text).not.toContain('Betatown');

    await processMaterials([first.body.id]);
    const after = await ask(platform.http, learner, { courseId: 'civics', question: 'What is the capital of Freedonia?' });
    expect(after.text).toContain('Betatown');
    expect(after.text).not.toContain('Alphaville');
    expect(await countOf(platform.kernel, "SELECT count(*) FROM ai_tutor_chunks WHERE material_id = $1 AND text LIKE '%Alphaville%'", [first.body.id])).toBe(0);
    expect(await countOf(platform.kernel, 'SELECT count(*) FROM ai_tutor_material_versions WHERE material_id = $1', [first.body.id])).toBe(1);
  });

  it('keeps the current version when a replacement fails, and re-indexes on request', async () => {
    const material = await upload(platform.http, acme.instructor, 'history', { name: 'rome.md', bytes: '# Rome\n\nRome was founded, says the legend, in 753 BC by Romulus.' });
    await processMaterials([material.body.id]);
    await platform.http
      .put(`${TUTOR}/materials/${material.body.id}/file`)
      .set('Authorization', acme.instructor)
      .attach('file', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 7)]), 'rome.pdf');
    await processMaterials([material.body.id]);
    const listed = await platform.http.get(`${TUTOR}/courses/history/materials`).set('Authorization', acme.instructor);
    expect(listed.body).toEqual([expect.objectContaining({ id: material.body.id, status: 'failed', live: true, error: expect.stringContaining('The PDF could not be read') })]);
    expect((await ask(platform.http, learner, { courseId: 'history', question: 'When was Rome founded?' })).text).toContain('753 BC');

    const reindexed = await platform.http.post(`${TUTOR}/materials/${material.body.id}/reindex`).set('Authorization', acme.instructor);
    expect(reindexed.status).toBe(202);
    expect(reindexed.body.status).toBe('queued');
  });

  it('stops citing a deleted material at once', async () => {
    const material = await upload(platform.http, acme.instructor, 'deleting', { name: 'volcano.md', bytes: '# Volcanoes\n\nMagma that reaches the surface is called lava.' });
    await processMaterials([material.body.id]);
    expect((await ask(platform.http, learner, { courseId: 'deleting', question: 'What is lava?' })).done?.answered).toBe(true);
    const deleted = await platform.http.delete(`${TUTOR}/materials/${material.body.id}`).set('Authorization', acme.instructor);
    expect(deleted.status).toBe(204);
    const answer = await ask(platform.http, learner, { courseId: 'deleting', question: 'What is lava?' });
    expect(answer.done?.answered).toBe(false);
    expect(await countOf(platform.kernel, 'SELECT count(*) FROM ai_tutor_chunks WHERE material_id = $1', [material.body.id])).toBe(0);
    expect((await platform.http.get(`${TUTOR}/materials/${material.body.id}`).set('Authorization', acme.instructor)).status).toBe(404);
  });

  it('never lets one course or tenant see another one’s materials', async () => {
    const secret = await upload(platform.http, acme.instructor, 'course-a', { name: 'a.md', bytes: '# Vault\n\nThe vault combination is 31-41-59.' });
    const globex = await createTenant(platform.kernel, 'globex');
    await enableTutor(platform.kernel, globex.tenantId);
    const other = await upload(platform.http, globex.instructor, 'course-a', { name: 'b.md', bytes: '# Vault\n\nThe vault is open on Sundays.' });
    await processMaterials([secret.body.id]);
    const globexLearner = (await member(platform.kernel, globex.tenantId, 'gus')).auth;
    const fromGlobex = await ask(platform.http, globexLearner, { courseId: 'course-a', question: 'What is the vault combination?' });
    expect(fromGlobex.text).not.toContain('31-41-59');
    expect(fromGlobex.citations.every((citation) => citation.materialId === other.body.id)).toBe(true);
    const fromOtherCourse = await ask(platform.http, learner, { courseId: 'course-b', question: 'What is the vault combination?' });
    expect(fromOtherCourse.text).not.toContain('31-41-59');
    expect(fromOtherCourse.done?.answered).toBe(false);
    // Another tenant's instructor can neither read nor delete the material.
    expect((await platform.http.get(`${TUTOR}/materials/${secret.body.id}`).set('Authorization', globex.instructor)).status).toBe(404);
    expect((await platform.http.delete(`${TUTOR}/materials/${secret.body.id}`).set('Authorization', globex.instructor)).status).toBe(404);
  });
});
