import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member } from '../../../test/support/commerce.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../../test/support/harness.js';
import { countOf } from '../../../test/support/jobs.js';
import tutorPlugin from '../plugin.js';
import { ask, configureTutor, enableTutor, settled, TUTOR, upload } from './tutor-support.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** A real (silent) WAV file: RIFF header and a tenth of a second of 8 kHz mono samples. */
function silentWav(): Buffer {
  const samples = Buffer.alloc(800);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

let platform: TestPlatform;
let acme: Tenancy;
let learner: string;

beforeAll(async () => {
  platform = await startTestPlatform({ plugins: [tutorPlugin] });
  acme = await createTenant(platform.kernel, 'acme');
  await enableTutor(platform.kernel, acme.tenantId);
  learner = (await member(platform.kernel, acme.tenantId, 'ada')).auth;
});
afterAll(() => platform?.close());

const chunksOf = (materialId: string) => countOf(platform.kernel, 'SELECT count(*) FROM ai_tutor_chunks WHERE material_id = $1', [materialId]);

describe('materials in every format', () => {
  it('reads a PDF made by LibreOffice and cites the page a passage is on', async () => {
    const uploaded = await upload(platform.http, acme.instructor, 'bio', { name: 'photosynthesis.pdf', bytes: fixture('photosynthesis.pdf') });
    expect(uploaded.body.kind).toBe('pdf');
    expect(await settled(platform.http, acme.instructor, uploaded.body.id)).toMatchObject({ status: 'ready' });
    const answer = await ask(platform.http, learner, { courseId: 'bio', question: 'Where does the Calvin cycle run, and which enzyme fixes carbon dioxide?' });
    expect(answer.text).toContain('stroma');
    expect(answer.citations[0]).toMatchObject({ materialId: uploaded.body.id, page: 2 });
    expect(answer.citations[0]!.url).toMatch(/#page-2$/);
  });

  it('reads a DOCX made by LibreOffice, keeping its headings', async () => {
    const uploaded = await upload(platform.http, acme.instructor, 'bio', { name: 'cell-division.docx', bytes: fixture('cell-division.docx'), title: 'Cell division' });
    expect(uploaded.body.kind).toBe('docx');
    expect(await settled(platform.http, acme.instructor, uploaded.body.id)).toMatchObject({ status: 'ready' });
    const answer = await ask(platform.http, learner, { courseId: 'bio', question: 'How many gametes does meiosis produce?' });
    expect(answer.text).toContain('four gametes');
    expect(answer.citations[0]).toMatchObject({ materialId: uploaded.body.id, title: 'Cell division', heading: 'Cell division › Meiosis' });
  });

  it('reads HTML with a real parser: headings kept, scripts and styles ignored', async () => {
    const html = `<!doctype html><html><head><style>p{color:red}</style><script>var secret = "tide tables";</script></head>
      <body><h1>Oceans</h1><h2>Tides</h2><p>Tides are caused mainly by the gravitational pull of the Moon.</p></body></html>`;
    const uploaded = await upload(platform.http, acme.instructor, 'geo', { name: 'oceans.html', bytes: html });
    expect(uploaded.body.kind).toBe('html');
    await settled(platform.http, acme.instructor, uploaded.body.id);
    const answer = await ask(platform.http, learner, { courseId: 'geo', question: 'What causes tides?' });
    expect(answer.citations[0]).toMatchObject({ heading: 'Oceans › Tides' });
    expect(answer.text).toContain('gravitational pull of the Moon');
    expect(answer.text).not.toContain('var secret');
  });

  it('judges a file by its bytes: a PDF named .txt is read as a PDF', async () => {
    const uploaded = await upload(platform.http, acme.instructor, 'mislabelled', { name: 'notes.txt', bytes: fixture('mislabelled.txt') });
    expect(uploaded.body).toMatchObject({ kind: 'pdf', mediaType: 'application/pdf' });
    expect(await settled(platform.http, acme.instructor, uploaded.body.id)).toMatchObject({ status: 'ready' });
  });

  it('fails a corrupt file alone, with a reason a person understands and no chunks left', async () => {
    const good = await upload(platform.http, acme.instructor, 'corrupt', { name: 'ok.md', bytes: '# Safety\n\nAlways wear goggles in the chemistry lab.' });
    const broken = await upload(platform.http, acme.instructor, 'corrupt', { name: 'broken.pdf', bytes: fixture('corrupt.pdf') });
    const docx = await upload(platform.http, acme.instructor, 'corrupt', { name: 'damaged.docx', bytes: fixture('damaged-body.docx') });
    expect(docx.body.kind).toBe('docx');
    const failed = await settled(platform.http, acme.instructor, broken.body.id);
    expect(failed).toMatchObject({ status: 'failed', live: false });
    expect(failed.error).toMatch(/^The PDF could not be read: the file is damaged or is not a PDF\. Export it again/);
    expect(await chunksOf(broken.body.id)).toBe(0);
    const failedDocx = await settled(platform.http, acme.instructor, docx.body.id);
    expect(failedDocx.status).toBe('failed');
    expect(failedDocx.error).toMatch(/^The Word document could not be read/);
    expect(await chunksOf(docx.body.id)).toBe(0);
    expect(await settled(platform.http, acme.instructor, good.body.id)).toMatchObject({ status: 'ready' });
    const answer = await ask(platform.http, learner, { courseId: 'corrupt', question: 'What should I wear in the chemistry lab?' });
    expect(answer.text).toContain('goggles');
  });

  it('refuses a file it cannot read at upload (415) and one over the tenant limit while streaming (413), writing nothing', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const refused = await upload(platform.http, acme.instructor, 'limits', { name: 'notes.md', bytes: png });
    expect(refused.status).toBe(415);
    expect(refused.body.error.message).toContain('judged from its contents, not its name');
    const truncated = await upload(platform.http, acme.instructor, 'limits', { name: 'truncated.docx', bytes: fixture('truncated.docx') });
    expect(truncated.status).toBe(415);

    const small = await createTenant(platform.kernel, 'small');
    await enableTutor(platform.kernel, small.tenantId);
    await configureTutor(platform.http, small.admin, { maxUploadMegabytes: 1 });
    const tooBig = await upload(platform.http, small.instructor, 'limits', { name: 'big.txt', bytes: 'word '.repeat(300_000) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({ code: 'OSV_ERR_PAYLOAD_TOO_LARGE' });
    expect(tooBig.body.error.message).toContain('upload limit of 1 MB');

    const notMultipart = await platform.http.post(`${TUTOR}/courses/limits/materials`).set('Authorization', acme.instructor).send({ file: 'x' });
    expect(notMultipart.status).toBe(415);
    expect(notMultipart.body.error.message).toContain('multipart/form-data');
    const materials = await countOf(platform.kernel, "SELECT count(*) FROM ai_tutor_materials WHERE course_id = 'limits'");
    expect(materials).toBe(0);
  });

  it('says plainly that audio waits for transcription when none is configured', async () => {
    const uploaded = await upload(platform.http, acme.instructor, 'media', { name: 'lecture.wav', bytes: silentWav() });
    expect(uploaded.body.kind).toBe('audio');
    const material = await settled(platform.http, acme.instructor, uploaded.body.id);
    expect(material.status).toBe('needs_transcription');
    expect(material.error).toContain('Transcription is not configured');
  });

  it('lets only instructors manage materials', async () => {
    const listed = await platform.http.get(`${TUTOR}/courses/bio/materials`).set('Authorization', learner);
    expect(listed.status).toBe(403);
    const uploadByLearner = await upload(platform.http, learner, 'bio', { name: 'x.md', bytes: '# x\n\ny' });
    expect(uploadByLearner.status).toBe(403);
  });
});
