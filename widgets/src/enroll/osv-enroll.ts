import { css, html, nothing } from 'lit';
import type { CatalogCourse, CourseDetail, EnrollRequest, EnrollResult, MemberEnrollment } from '../api-types.js';
import { defineElement } from '../shared/define.js';
import { formatPrice } from '../shared/format.js';
import { newIdempotencyKey } from '../shared/idempotency.js';
import { OsvElement } from '../shared/osv-element.js';
import { webUrl } from '../shared/safe-url.js';
import { baseStyles } from '../shared/theme.js';
import { enrollAction } from './enroll-action.js';

/** After Checkout, Stripe brings the learner back to this page, marked with the outcome. */
function returnUrl(outcome: 'success' | 'cancelled'): string {
  const url = new URL(window.location.href);
  url.searchParams.set('osv_checkout', outcome);
  url.hash = '';
  return url.href;
}

type Phase = 'idle' | 'loading' | 'working' | 'redirecting' | 'done' | 'error';

/**
 * `<osv-enroll course="slug-or-id">`: shows where the signed-in member stands in the course
 * (enrolled, waitlisted with their position, a held seat awaiting payment) and offers the next step:
 * enroll for free, join or leave the waitlist, or go to (back to) Stripe-hosted Checkout. Events:
 * `osv-enrolled`, `osv-waitlisted`, `osv-waitlist-left`, `osv-checkout` (cancelable: the page
 * redirects itself), `osv-sign-in-required`.
 * Parts: `button`, `status`.
 */
export class OsvEnroll extends OsvElement {
  static override properties = {
    ...OsvElement.properties,
    courseRef: { type: String, attribute: 'course' },
    course: { attribute: false },
    phase: { state: true },
    status: { state: true },
    standing: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      p {
        margin: 0.4em 0 0;
      }
      p:empty {
        margin: 0;
      }
    `,
  ];

  declare courseRef?: string;
  /** The course itself, when the page (or the catalog) already has it. */
  declare course?: CatalogCourse;
  declare phase: Phase;
  declare status: string;
  /** The member's place in the course, once known (signed-in members only). */
  declare standing?: MemberEnrollment;
  /** Which course and token `standing` was asked for, so a change of either asks again. */
  private standingOf?: string;
  /** Kept across retries of one click, so the server enrolls at most once. */
  private idempotencyKey?: string;

  constructor() {
    super();
    this.phase = 'idle';
    this.status = '';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const ref = this.courseRef;
    if (changed.has('courseRef') && ref && this.course?.id !== ref && this.course?.slug !== ref) void this.loadCourse(ref);
    const token = this.credentials().token;
    const wanted = this.course && token ? `${this.course.id} ${token}` : undefined;
    if (wanted !== this.standingOf) {
      this.standingOf = wanted;
      this.standing = undefined;
      if (wanted) void this.loadStanding(this.course!);
    }
  }

  protected override identityChanged(): void {
    this.requestUpdate();
  }

  private async loadStanding(course: CatalogCourse): Promise<void> {
    const asked = this.standingOf;
    try {
      const standing = await this.client.get<MemberEnrollment>(`/plugins/enrollment/courses/${encodeURIComponent(course.id)}/enrollment`);
      if (asked !== this.standingOf || this.phase !== 'idle') return;
      this.standing = standing;
      this.status = this.describeStanding(standing);
    } catch {
      // Not knowing is no worse than before: enrolling again answers the member's existing place.
    }
  }

  private describeStanding(standing: MemberEnrollment): string {
    switch (standing.status) {
      case 'enrolled':
        return this.t('enroll.enrolled');
      case 'waitlisted':
        return this.t('enroll.waitlisted', { position: standing.position });
      case 'pending-payment': {
        const time = new Intl.DateTimeFormat(this.currentLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(standing.holdExpiresAt));
        return this.t('enroll.pending', { time });
      }
      default:
        return '';
    }
  }

  private async loadCourse(ref: string): Promise<void> {
    this.phase = 'loading';
    try {
      this.course = await this.client.get<CourseDetail>(`/plugins/enrollment/courses/${encodeURIComponent(ref)}`);
      this.phase = 'idle';
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.phase = 'error';
    this.status = this.describeError(error);
  }

  private label(course: CatalogCourse): string {
    const action = enrollAction(course, this.standing);
    if (action === 'closed') return this.t('enroll.closed');
    if (!this.signedIn) return this.t('enroll.signIn');
    if (action === 'enrolled') return this.t('enroll.done');
    if (this.phase === 'working') return this.t(action === 'leave' ? 'enroll.leaving' : 'enroll.working');
    if (action === 'leave') return this.t('enroll.leave');
    if (action === 'pay') return this.t('enroll.pay');
    if (action === 'waitlist') return this.t('enroll.waitlist');
    if (action === 'buy') return this.t('enroll.buy', { price: formatPrice(course.priceCents, course.currency, this.currentLocale) });
    return this.t('enroll.free');
  }

  private async onClick(): Promise<void> {
    const course = this.course!;
    if (!this.signedIn) {
      this.status = this.t('enroll.signInNeeded');
      this.emit('sign-in-required', { courseId: course.id });
      return;
    }
    if (this.standing?.status === 'waitlisted') {
      await this.leaveWaitlist(this.standing.enrollmentId);
      return;
    }
    this.phase = 'working';
    this.status = '';
    this.idempotencyKey ??= newIdempotencyKey();
    try {
      const body: EnrollRequest = { locale: this.currentLocale, successUrl: returnUrl('success'), cancelUrl: returnUrl('cancelled') };
      const result = await this.client.post<EnrollResult>(`/plugins/enrollment/courses/${encodeURIComponent(course.id)}/enroll`, {
        headers: { 'idempotency-key': this.idempotencyKey },
        body,
      });
      this.idempotencyKey = undefined;
      this.settle(course, result);
    } catch (error) {
      this.fail(error);
    }
  }

  private async leaveWaitlist(enrollmentId: string): Promise<void> {
    this.phase = 'working';
    this.status = '';
    try {
      await this.client.post(`/plugins/enrollment/enrollments/${encodeURIComponent(enrollmentId)}/cancel`);
      this.standing = { status: 'none' };
      this.phase = 'idle';
      this.status = this.t('enroll.left');
      this.emit('waitlist-left', { courseId: this.course!.id, enrollmentId });
    } catch (error) {
      this.fail(error);
    }
  }

  private settle(course: CatalogCourse, result: EnrollResult): void {
    if (result.status === 'checkout') {
      // Stripe-hosted Checkout is always https.
      const url = webUrl(result.checkoutUrl, ['https:']);
      if (!url) {
        this.fail(new Error('checkout address refused'));
        return;
      }
      this.phase = 'redirecting';
      this.status = this.t('enroll.redirecting');
      if (this.emit('checkout', { courseId: course.id, checkoutUrl: url }, true)) window.location.assign(url);
      return;
    }
    this.phase = 'done';
    this.standing = result;
    if (result.status === 'enrolled') {
      this.status = this.t('enroll.enrolled');
      this.emit('enrolled', { courseId: course.id, enrollmentId: result.enrollmentId });
    } else {
      this.status = this.t('enroll.waitlisted', { position: result.position });
      this.emit('waitlisted', { courseId: course.id, enrollmentId: result.enrollmentId, position: result.position });
    }
  }

  protected override render() {
    const course = this.course;
    const busy = this.phase === 'working' || this.phase === 'redirecting' || this.phase === 'loading';
    const action = course && enrollAction(course, this.standing);
    const disabled = busy || !course || action === 'closed' || action === 'enrolled';
    return html`
      ${course
        ? html`<button part="button" aria-describedby="status" aria-busy=${busy ? 'true' : 'false'} ?disabled=${disabled} @click=${this.onClick}>
            ${this.label(course)}
          </button>`
        : nothing}
      <p id="status" part="status" role="status" class=${this.phase === 'error' ? 'error' : ''}>${this.status}</p>
    `;
  }
}

defineElement('osv-enroll', OsvEnroll);
