import { html, nothing } from 'lit';
import type { TutorAskRequest, TutorCitationEvent, TutorDoneEvent, TutorErrorEvent, TutorTokenEvent } from '../api-types.js';
import { OsvApiError } from '../shared/api-client.js';
import { defineElement } from '../shared/define.js';
import { OsvElement } from '../shared/osv-element.js';
import { webUrl } from '../shared/safe-url.js';
import type { SseMessage } from '../shared/sse.js';
import { baseStyles } from '../shared/theme.js';
import { answerPieces } from './answer-text.js';
import { inProgress, type MaterialItem, materialsPanel } from './materials-panel.js';
import { tutorStyles } from './tutor-styles.js';

interface Turn {
  question: string;
  answer: string;
  citations: TutorCitationEvent[];
  streaming: boolean;
  error?: string;
  stopped?: boolean;
}

/**
 * `<osv-tutor course="course-id">`: asks the course's AI tutor and shows the answer as it streams
 * (SSE), with clickable citations. Enter sends, Shift+Enter starts a new line. Event:
 * `osv-citation` (cancelable: the page opens the source itself). Parts: `log`, `message`,
 * `question`, `answer`, `citation`, `citation-ref`, `form`, `input`, `send`, `stop`.
 */
export class OsvTutor extends OsvElement {
  static override properties = {
    ...OsvElement.properties,
    course: { type: String },
    turns: { state: true },
    draft: { state: true },
    materials: { state: true },
    uploading: { state: true },
  };

  static override styles = [baseStyles, tutorStyles];

  declare course: string;
  declare turns: Turn[];
  declare draft: string;
  /** The course's materials, for callers allowed to manage them (instructors); undefined for others. */
  declare materials?: MaterialItem[];
  declare uploading: boolean;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private conversationId?: string;
  private controller?: AbortController;

  constructor() {
    super();
    this.course = '';
    this.turns = [];
    this.draft = '';
    this.uploading = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadMaterials();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.refreshTimer);
  }

  protected override identityChanged(): void {
    void this.loadMaterials();
  }

  /** Instructors see the course's materials; anyone else's request is refused and the panel stays hidden. */
  private async loadMaterials(): Promise<void> {
    clearTimeout(this.refreshTimer);
    if (!this.signedIn) return;
    try {
      this.materials = await this.client.get<MaterialItem[]>('/plugins/ai-tutor/materials', { query: { courseId: this.course } });
      if (inProgress(this.materials)) this.refreshTimer = setTimeout(() => void this.loadMaterials(), 2000);
    } catch {
      this.materials = undefined;
    }
  }

  /** Upload (multipart), re-index and delete: the JSON client does not send files, so these call fetch. */
  private async manage(method: string, path: string, body?: FormData): Promise<void> {
    const { apiBase, key, token } = this.credentials();
    const url = new URL(`/api/v1/plugins/ai-tutor${path}`, apiBase);
    if (this.course) url.searchParams.set('courseId', this.course);
    if (key) url.searchParams.set('key', key);
    await fetch(url, { method, mode: 'cors', credentials: 'omit', body, headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
    await this.loadMaterials();
  }

  private readonly panelHost = {
    t: (key: string, params?: Record<string, string | number>) => this.t(key as Parameters<OsvElement['t']>[0], params),
    upload: async (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      this.uploading = true;
      await this.manage('POST', '/materials', form);
      this.uploading = false;
    },
    reindex: (material: MaterialItem) => void this.manage('POST', `/materials/${material.id}/reindex`),
    remove: (material: MaterialItem) => void this.manage('DELETE', `/materials/${material.id}`),
  };

  private get streaming(): boolean {
    return this.turns.at(-1)?.streaming ?? false;
  }

  private change(turn: Turn, patch: Partial<Turn>): void {
    Object.assign(turn, patch);
    this.turns = [...this.turns];
  }

  private async ask(): Promise<void> {
    const question = this.draft.trim();
    if (!question || this.streaming) return;
    const turn: Turn = { question, answer: '', citations: [], streaming: true };
    this.turns = [...this.turns, turn];
    this.draft = '';
    const controller = new AbortController();
    this.controller = controller;
    const body: TutorAskRequest = { courseId: this.course, question, conversationId: this.conversationId };
    try {
      await this.client.stream('/plugins/ai-tutor/ask', { body, signal: controller.signal }, (message) => this.receive(turn, message));
    } catch (error) {
      if (!controller.signal.aborted) this.change(turn, { error: this.describeError(error) });
    }
    this.change(turn, { streaming: false });
  }

  private receive(turn: Turn, message: SseMessage): void {
    const data = JSON.parse(message.data) as unknown;
    if (message.event === 'token') this.change(turn, { answer: turn.answer + (data as TutorTokenEvent).text });
    else if (message.event === 'citation') this.change(turn, { citations: [...turn.citations, data as TutorCitationEvent] });
    else if (message.event === 'done') {
      this.conversationId = (data as TutorDoneEvent).conversationId;
      this.change(turn, { streaming: false });
    } else if (message.event === 'error') {
      const failure = data as TutorErrorEvent;
      this.change(turn, { streaming: false, error: this.describeError(new OsvApiError(failure.code, failure.message, 0)) });
    }
  }

  private stop(): void {
    this.controller?.abort();
    const turn = this.turns.at(-1);
    if (turn?.streaming) this.change(turn, { streaming: false, stopped: true });
    (this.renderRoot.querySelector('textarea') as HTMLTextAreaElement | null)?.focus();
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    void this.ask();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.ask();
    } else if (event.key === 'Escape' && this.streaming) this.stop();
  }

  private openCitation(event: Event, citation: TutorCitationEvent): void {
    if (!this.emit('citation', citation, true)) event.preventDefault();
  }

  /** A `[n]` marker moves focus to source n in the list below the answer. */
  private focusSource(turnIndex: number, index: number): void {
    (this.renderRoot.querySelector(`#source-${turnIndex}-${index}`) as HTMLElement | null)?.focus();
  }

  protected override updated(): void {
    const log = this.renderRoot.querySelector('.log');
    if (log && this.streaming) log.scrollTop = log.scrollHeight;
  }

  protected override render() {
    return html`<section part="tutor" aria-label=${this.t('tutor.label')}>
      <div class="log" part="log" role="log" aria-live="polite">
        ${this.turns.length === 0 ? html`<p class="muted">${this.t('tutor.intro')}</p>` : this.turns.map((turn, index) => this.renderTurn(turn, index))}
      </div>
      <form part="form" @submit=${this.onSubmit}>
        <label class="hidden" for="question">${this.t('tutor.input')}</label>
        <textarea id="question" part="input" rows="2" placeholder=${this.t('tutor.placeholder')} .value=${this.draft}
          @input=${(event: InputEvent) => (this.draft = (event.target as HTMLTextAreaElement).value)} @keydown=${this.onKeyDown}></textarea>
        ${this.streaming
          ? html`<button type="button" part="stop" class="quiet" @click=${this.stop}>${this.t('tutor.stop')}</button>`
          : html`<button type="submit" part="send" ?disabled=${this.draft.trim() === ''}>${this.t('tutor.send')}</button>`}
      </form>
      ${this.materials ? materialsPanel(this.panelHost, this.materials, this.uploading) : nothing}
    </section>`;
  }

  private renderTurn(turn: Turn, index: number) {
    return html`
      <div class="message user" part="message question"><span class="who">${this.t('tutor.you')}</span><span class="text">${turn.question}</span></div>
      <div class="message tutor" part="message answer" aria-busy=${turn.streaming ? 'true' : 'false'}>
        <span class="who">${this.t('tutor.tutor')}</span><span class="text">${this.renderAnswer(turn, index)}</span>
        ${turn.streaming && turn.answer === '' ? html`<span class="muted thinking">${this.t('tutor.thinking')}</span>` : nothing}
        ${turn.stopped ? html` <em class="muted">${this.t('tutor.stopped')}</em>` : nothing}
        ${turn.error ? html`<p class="error" role="alert">${turn.error}</p>` : nothing}
        ${turn.citations.length > 0 ? this.renderSources(turn, index) : nothing}
      </div>
    `;
  }

  private renderAnswer(turn: Turn, turnIndex: number) {
    return answerPieces(turn.answer).map((piece) => {
      if ('text' in piece) return piece.text;
      const citation = turn.citations.find((candidate) => candidate.index === piece.citation);
      const label = citation ? this.t('tutor.cite', { index: piece.citation, title: citation.title }) : `[${piece.citation}]`;
      return html`<button class="ref" part="citation-ref" aria-label=${label} @click=${() => this.focusSource(turnIndex, piece.citation)}>[${piece.citation}]</button>`;
    });
  }

  private renderSources(turn: Turn, turnIndex: number) {
    return html`<ol class="sources" aria-label=${this.t('tutor.sources')}>
      ${turn.citations.map((citation) => {
        const where = citation.heading ? `${citation.title} › ${citation.heading}` : citation.title;
        const text = citation.page === undefined ? where : `${where}, ${this.t('tutor.page', { page: citation.page })}`;
        const id = `source-${turnIndex}-${citation.index}`;
        const url = webUrl(citation.url);
        return html`<li value=${citation.index}>
          ${url
            ? html`<a id=${id} part="citation" href=${url} target="_blank" rel="noopener noreferrer" @click=${(event: Event) => this.openCitation(event, citation)}>${text}</a>`
            : html`<button id=${id} part="citation" @click=${(event: Event) => this.openCitation(event, citation)}>${text}</button>`}
        </li>`;
      })}
    </ol>`;
  }
}

defineElement('osv-tutor', OsvTutor);
