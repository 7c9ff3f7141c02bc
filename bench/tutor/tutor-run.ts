import pg from 'pg';
import { progress } from '../support/progress.js';
import type { QaSet } from './qa-set.js';
import { startTutorServer } from './tutor-server.js';

const TUTOR = '/api/v1/plugins/ai-tutor';
const COURSE = 'bench-course';

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A busy server may reset a polling connection; the next poll asks again.
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the materials were not processed in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface TutorRun {
  results: Array<{ qid: string; passages: string[] }>;
  ingestSeconds: number;
  chunks: number;
  /** Milliseconds from sending the question to the first `token` event. */
  firstTokenMs: number[];
  answerers: Record<string, number>;
}

/** Ingests the set's materials through the upload route and jobs, then asks every question through `/ask`. */
export async function runTutor(set: QaSet, env: Record<string, string>, databaseUrl: string): Promise<TutorRun> {
  const server = await startTutorServer(env);
  const database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  try {
    const headers = { authorization: server.instructor };
    const started = performance.now();
    const ids: string[] = [];
    for (const material of set.materials) {
      const form = new FormData();
      form.set('title', material.name.replace(/\.md$/, ''));
      form.set('file', new Blob([material.text], { type: 'text/markdown' }), material.name);
      const response = await fetch(`${server.origin}${TUTOR}/courses/${COURSE}/materials`, { method: 'POST', headers, body: form });
      if (response.status !== 202) throw new Error(`upload of ${material.name}: ${response.status} ${await response.text()}`);
      ids.push(((await response.json()) as { id: string }).id);
    }
    for (const id of ids) {
      const material = await eventually(async () => {
        const body = (await (await fetch(`${server.origin}${TUTOR}/materials/${id}`, { headers })).json()) as { status: string; title: string; error: string | null };
        return ['ready', 'failed'].includes(body.status) ? body : undefined;
      }, 30 * 60_000);
      if (material.status !== 'ready') throw new Error(`${material.title} failed: ${material.error}`);
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    const { rows } = await database.query<{ count: string }>('SELECT count(*) FROM ai_tutor_chunks c JOIN ai_tutor_materials m ON m.current_version_id = c.version_id');
    const chunks = Number(rows[0]!.count);
    progress(`ingested ${set.materials.length} materials (${chunks} chunks) in ${ingestSeconds.toFixed(1)} s`);

    const results: TutorRun['results'] = [];
    const firstTokenMs: number[] = [];
    const answerers: Record<string, number> = {};
    for (const [index, question] of set.questions.entries()) {
      const asked = await ask(server.origin, headers, question.question);
      if (asked.firstTokenMs !== undefined) firstTokenMs.push(asked.firstTokenMs);
      answerers[asked.answerer] = (answerers[asked.answerer] ?? 0) + 1;
      results.push({ qid: question.qid, passages: await passageTexts(database, asked.citations) });
      if ((index + 1) % 50 === 0) progress(`asked ${index + 1}/${set.questions.length}`);
    }
    return { results, ingestSeconds, chunks, firstTokenMs, answerers };
  } finally {
    await database.end();
    await server.close();
  }
}

async function ask(origin: string, headers: Record<string, string>, question: string) {
  const started = performance.now();
  const response = await fetch(`${origin}${TUTOR}/ask`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ courseId: COURSE, question }),
  });
  if (!response.ok || !response.body) throw new Error(`ask: ${response.status} ${await response.text()}`);
  let firstTokenMs: number | undefined;
  let buffer = '';
  const citations: Array<{ materialId: string; url?: string }> = [];
  let answerer = 'unknown';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (event === 'token' && firstTokenMs === undefined) firstTokenMs = performance.now() - started;
      if (event === 'citation' && data) citations.push(JSON.parse(data));
      if (event === 'done' && data) answerer = (JSON.parse(data) as { answerer?: string }).answerer ?? 'unknown';
      if (event === 'error') throw new Error(`ask: ${data}`);
    }
  }
  return { firstTokenMs, citations, answerer };
}

/** The full text of each cited passage (citations carry a snippet; the link names the chunk). */
async function passageTexts(database: pg.Client, citations: Array<{ materialId: string; url?: string }>): Promise<string[]> {
  const texts: string[] = [];
  for (const citation of citations) {
    const position = Number(/#chunk-(\d+)$/.exec(citation.url ?? '')?.[1]);
    if (!Number.isInteger(position)) continue;
    const { rows } = await database.query<{ text: string }>(
      'SELECT c.text FROM ai_tutor_chunks c JOIN ai_tutor_materials m ON m.current_version_id = c.version_id WHERE c.material_id = $1 AND c.position = $2',
      [citation.materialId, position],
    );
    if (rows[0]) texts.push(rows[0].text);
  }
  return texts;
}
