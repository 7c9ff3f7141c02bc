import { html, nothing } from 'lit';
import type { CatalogCourse, CatalogPage, CourseDetail } from '../api-types.js';
import '../enroll/index.js';
import { defineElement } from '../shared/define.js';
import { translateCount } from '../shared/messages.js';
import { OsvElement } from '../shared/osv-element.js';
import { baseStyles } from '../shared/theme.js';
import { catalogStyles } from './catalog-styles.js';
import { courseFacts } from './course-facts.js';

const SEARCH_DELAY_MS = 250;

/**
 * `<osv-catalog limit="10">`: searchable course list (a combobox over a listbox: arrows move,
 * Enter opens, Escape goes back) with a course view holding `<osv-enroll>`. Event:
 * `osv-course-select` (cancelable: the page shows the course itself). Parts: `search`, `count`,
 * `list`, `option`, `option-active`, `more`, `detail`, `back`, plus the enroll button's as
 * `enroll-button` and `enroll-status`.
 */
export class OsvCatalog extends OsvElement {
  static override properties = {
    ...OsvElement.properties,
    limit: { type: Number },
    query: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    error: { state: true },
    active: { state: true },
    detail: { state: true },
  };

  static override styles = [baseStyles, catalogStyles];

  declare limit: number;
  declare query: string;
  declare items: CatalogCourse[];
  declare nextCursor: string | null;
  declare loading: boolean;
  declare error: string;
  declare active: number;
  declare detail: CourseDetail | CatalogCourse | null;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private inFlight?: AbortController;
  /** The query the shown results answer (the input may already hold a newer one). */
  private shownQuery = '';

  constructor() {
    super();
    this.limit = 10;
    this.query = '';
    this.items = [];
    this.nextCursor = null;
    this.loading = false;
    this.error = '';
    this.active = -1;
    this.detail = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search('');
  }

  protected override identityChanged(): void {
    if (this.error) void this.search(this.query);
  }

  private async search(query: string, cursor?: string): Promise<void> {
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    this.loading = true;
    try {
      const page = await this.client.get<CatalogPage>('/plugins/enrollment/courses', {
        query: { q: query, limit: this.limit, cursor },
        signal: controller.signal,
      });
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.shownQuery = query;
      this.error = '';
      if (!cursor) this.active = -1;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = this.describeError(error);
    }
    if (this.inFlight === controller) this.loading = false;
  }

  private onInput(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.search(this.query.trim()), SEARCH_DELAY_MS);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const last = this.items.length - 1;
    const moves: Record<string, number> = { ArrowDown: Math.min(this.active + 1, last), ArrowUp: Math.max(this.active - 1, 0), PageDown: last, PageUp: 0 };
    if (event.key in moves && last >= 0) {
      event.preventDefault();
      this.active = moves[event.key]!;
    } else if (event.key === 'Enter' && this.items[this.active]) {
      event.preventDefault();
      void this.open(this.items[this.active]!);
    }
  }

  protected override updated(): void {
    this.renderRoot.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  private async open(course: CatalogCourse): Promise<void> {
    if (!this.emit('course-select', course, true)) return;
    this.detail = course;
    await this.updateComplete;
    (this.renderRoot.querySelector('#detail-title') as HTMLElement | null)?.focus();
    try {
      const detail = await this.client.get<CourseDetail>(`/plugins/enrollment/courses/${encodeURIComponent(course.id)}`);
      if (this.detail?.id === course.id) this.detail = detail;
    } catch {
      // The list already gave what the course view needs; its modules are a bonus.
    }
  }

  private async back(): Promise<void> {
    this.detail = null;
    await this.updateComplete;
    (this.renderRoot.querySelector('input') as HTMLInputElement | null)?.focus();
  }

  protected override render() {
    return this.detail ? this.renderDetail(this.detail) : this.renderList();
  }

  private renderList() {
    const locale = this.currentLocale;
    let count = translateCount(locale, 'catalog.count', this.items.length);
    if (this.loading) count = this.t('catalog.loading');
    else if (this.items.length === 0) count = this.shownQuery ? this.t('catalog.empty', { query: this.shownQuery }) : this.t('catalog.none');
    return html`
      <div role="search" aria-label=${this.t('catalog.label')}>
        <label class="hidden" for="search">${this.t('catalog.search')}</label>
        <input id="search" part="search" type="search" autocomplete="off" role="combobox" aria-autocomplete="list" aria-controls="list"
          aria-expanded=${this.items.length > 0 ? 'true' : 'false'} aria-activedescendant=${this.active >= 0 ? `course-${this.active}` : nothing}
          placeholder=${this.t('catalog.placeholder')} .value=${this.query} @input=${this.onInput} @keydown=${this.onKeyDown} />
      </div>
      <p part="count" class="count ${this.error ? 'error' : 'muted'}" role="status">${this.error || count}</p>
      ${this.error ? html`<button class="quiet" @click=${() => this.search(this.query)}>${this.t('retry')}</button>` : nothing}
      <ul id="list" part="list" role="listbox" aria-label=${this.t('catalog.list')}>${this.items.map((course, index) => this.renderOption(course, index, locale))}</ul>
      ${this.nextCursor
        ? html`<button class="quiet more" part="more" @click=${() => this.search(this.shownQuery, this.nextCursor ?? undefined)}>${this.t('catalog.more')}</button>`
        : nothing}
    `;
  }

  private renderOption(course: CatalogCourse, index: number, locale: string) {
    const selected = index === this.active;
    return html`<li id="course-${index}" role="option" part=${selected ? 'option option-active' : 'option'} aria-selected=${selected ? 'true' : 'false'}
      @click=${() => this.open(course)} @pointermove=${() => (this.active = index)}>
      <span class="title">${course.title}</span>
      <span class="summary muted">${course.summary}</span>
      <span class="facts muted">${courseFacts(course, locale)}</span>
    </li>`;
  }

  private renderDetail(course: CourseDetail | CatalogCourse) {
    const modules = 'modules' in course ? course.modules : [];
    return html`<article part="detail" aria-labelledby="detail-title" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.back()}>
      <button class="quiet" part="back" @click=${this.back}>← ${this.t('catalog.back')}</button>
      <h3 id="detail-title" tabindex="-1">${course.title}</h3>
      <p>${course.summary}</p>
      <p class="muted">${courseFacts(course, this.currentLocale)}</p>
      ${modules.length > 0
        ? html`<h4>${this.t('catalog.modules')}</h4>
            <ol>${modules.map((module) => html`<li>${module.title}</li>`)}</ol>`
        : nothing}
      <osv-enroll .course=${course} .key=${this.key} .apiBase=${this.apiBase} .token=${this.token} locale=${this.currentLocale}
        exportparts="button: enroll-button, status: enroll-status"></osv-enroll>
    </article>`;
  }
}

defineElement('osv-catalog', OsvCatalog);
