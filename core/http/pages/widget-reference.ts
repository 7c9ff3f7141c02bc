/** What the docs page says about each widget: its snippet, attributes, events and parts. */
export interface WidgetReference {
  tag: string;
  summary: string;
  snippet: string;
  attributes: Array<[name: string, meaning: string]>;
  events: Array<[name: string, meaning: string]>;
  parts: string[];
}

const common: Array<[string, string]> = [
  ['lang / locale', 'Language of the widget (en, es); otherwise the page’s lang, then the browser’s.'],
  ['key, api, token', 'Per-element publishable key, server origin and access token (e.g. inside an LTI launch); the page-wide ones come from the loader.'],
];

export const widgetReference: WidgetReference[] = [
  {
    tag: 'osv-catalog',
    summary: 'Searchable course list (debounced search, arrow keys, Enter opens a course with its enroll button, Escape goes back).',
    snippet: '<osv-catalog limit="10"></osv-catalog>',
    attributes: [['limit', 'Courses per page (default 10).'], ...common],
    events: [['osv-course-select', 'A course was opened; cancel it (preventDefault) to show the course yourself.']],
    parts: ['search', 'count', 'list', 'option', 'option-active', 'more', 'detail', 'back', 'enroll-button', 'enroll-status'],
  },
  {
    tag: 'osv-enroll',
    summary:
      'Enroll button: shows where the member stands (enrolled, waitlisted with position, a held seat awaiting payment) and offers the next step: free enrollment, the waitlist (join or leave), or Stripe-hosted Checkout for paid courses. Needs a signed-in member (identify).',
    snippet: '<osv-enroll course="intro-to-statistics"></osv-enroll>',
    attributes: [['course', 'Course id or slug.'], ...common],
    events: [
      ['osv-enrolled', 'The member is enrolled ({courseId, enrollmentId}).'],
      ['osv-waitlisted', 'The member is on the waitlist ({courseId, position}).'],
      ['osv-waitlist-left', 'The member left the waitlist ({courseId, enrollmentId}).'],
      ['osv-checkout', 'About to go to Checkout ({checkoutUrl}); cancel it to redirect yourself.'],
      ['osv-sign-in-required', 'Clicked without a member token: sign the visitor in, then identify.'],
    ],
    parts: ['button', 'status'],
  },
  {
    tag: 'osv-tutor',
    summary: 'Chat with the course’s AI tutor: answers stream in as they are written and cite their sources. Enter sends, Shift+Enter adds a line, Escape stops.',
    snippet: '<osv-tutor course="COURSE_ID"></osv-tutor>',
    attributes: [['course', 'Course id the tutor answers about.'], ...common],
    events: [['osv-citation', 'A source was clicked ({materialId, title, page, url}); cancel it to open the source yourself.']],
    parts: ['tutor', 'log', 'message', 'question', 'answer', 'citation', 'citation-ref', 'form', 'input', 'send', 'stop'],
  },
];

export const themeProperties: Array<[name: string, fallback: string]> = [
  ['--osv-accent', '#3b5bdb'],
  ['--osv-accent-text', '#fff'],
  ['--osv-text', '#1d2330'],
  ['--osv-muted', '#5a6170'],
  ['--osv-surface', '#fff'],
  ['--osv-border', '#d5d9e2'],
  ['--osv-highlight', '#edf2ff'],
  ['--osv-radius', '8px'],
  ['--osv-focus', '#1971c2'],
  ['--osv-error', '#c92a2a'],
  ['--osv-font', 'inherit'],
];
