import type supertest from 'supertest';
import type { Kernel } from '../../../core/kernel.js';
import { eventually } from '../../../test/support/harness.js';
import type { TutorCitationEvent, TutorDoneEvent, TutorErrorEvent } from '../../../widgets/src/api-types.js';

type Http = ReturnType<typeof supertest>;

export const TUTOR = '/api/v1/plugins/ai-tutor';

export async function enableTutor(kernel: Kernel, tenantId: string): Promise<void> {
  await kernel.plugins.setEnabled(tenantId, 'ai-tutor', true);
}

/** Changes the tenant's tutor settings through the admin API. */
export async function configureTutor(http: Http, adminAuth: string, settings: Record<string, unknown>): Promise<void> {
  const response = await http.put('/api/v1/admin/plugins/ai-tutor/settings').set('Authorization', adminAuth).send(settings);
  if (response.status !== 200) throw new Error(`tutor settings: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Uploads a material as multipart/form-data, the way a browser form would. */
export function upload(http: Http, auth: string, courseId: string, file: { name: string; bytes: Buffer | string; title?: string }) {
  const request = http.post(`${TUTOR}/courses/${encodeURIComponent(courseId)}/materials`).set('Authorization', auth);
  if (file.title) request.field('title', file.title);
  return request.attach('file', Buffer.isBuffer(file.bytes) ? file.bytes : Buffer.from(file.bytes), file.name);
}

export interface MaterialBody {
  id: string;
  title: string;
  status: string;
  stage: string;
  percent: number;
  error: string | null;
  live: boolean;
  kind: string;
  summary: string | null;
}

/** Waits until the material's newest upload leaves the pipeline (ready, failed or waiting for transcription). */
export async function settled(http: Http, auth: string, materialId: string, timeoutMs = 25_000): Promise<MaterialBody> {
  if (!materialId) throw new Error("no material id (the upload was refused)");
  return eventually(async () => {
    const response = await http.get(`${TUTOR}/materials/${materialId}`).set('Authorization', auth);
    const body = response.body as MaterialBody;
    return ['ready', 'failed', 'needs_transcription'].includes(body.status) ? body : undefined;
  }, timeoutMs);
}

export interface AskResult {
  status: number;
  text: string;
  citations: TutorCitationEvent[];
  done?: TutorDoneEvent;
  error?: TutorErrorEvent;
  /** Every event in order, for order assertions. */
  events: string[];
  body: { error?: { code: string; message: string } };
}

/** Posts a question and reads the whole server-sent event stream. */
export async function ask(http: Http, auth: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<AskResult> {
  const response = await http
    .post(`${TUTOR}/ask`)
    .set('Authorization', auth)
    .set('Accept', 'text/event-stream')
    .set(headers)
    .send(body)
    .buffer(true)
    .parse((res, callback) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        data += chunk;
      });
      res.on('end', () => callback(null, data));
    });
  const result: AskResult = { status: response.status, text: '', citations: [], events: [], body: {} };
  const raw = String(response.body);
  if (!response.headers['content-type']?.startsWith('text/event-stream')) {
    result.body = JSON.parse(raw);
    return result;
  }
  for (const message of raw.split('\n\n')) {
    const event = /^event: (.+)$/m.exec(message)?.[1];
    const data = /^data: (.+)$/m.exec(message)?.[1];
    if (!event || !data) continue;
    result.events.push(event);
    const parsed = JSON.parse(data);
    if (event === 'token') result.text += parsed.text;
    else if (event === 'citation') result.citations.push(parsed);
    else if (event === 'done') result.done = parsed;
    else if (event === 'error') result.error = parsed;
  }
  return result;
}
