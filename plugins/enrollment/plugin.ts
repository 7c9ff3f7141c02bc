import { definePlugin } from '../../core/plugin-api.js';
import { CatalogSearch } from './catalog/catalog-search.js';
import { CourseStore } from './catalog/course-store.js';
import { EnrollService } from './enroll/enroll-service.js';
import { PaymentOutcomes } from './enroll/payment-outcomes.js';
import { RosterSync } from './enroll/roster-sync.js';
import { EXPIRE_HOLD_JOB } from './enroll/seat-ledger.js';
import catalogMigration from './migrations/0001-catalog.js';
import enrollmentsMigration from './migrations/0002-enrollments.js';
import { ProgressService } from './progress/progress-service.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { enrollRoutes } from './routes/enroll-routes.js';
import { progressRoutes } from './routes/progress-routes.js';
import { enrollmentSettingsSchema } from './settings.js';
import './contract.js';

/** These jobs only read and write this plugin's tables: jobs that arrive together may share a transaction. */
const DATABASE_ONLY = { batch: true };

/**
 * Catalog → enroll: courses with modules and lessons, ranked search, seat-limited enrollment under
 * a row lock, seat holds during checkout, a self-promoting waitlist, LTI roster enrollment and
 * lesson progress. Payment comes from the `payments.checkout` service when that plugin is enabled.
 */
export default definePlugin({
  manifest: {
    id: 'enrollment',
    name: 'Enrollment',
    description: 'Course catalog, seat-limited enrollment with waitlist, checkout holds and lesson progress.',
    version: '1.0.0',
    coreRange: '>=0.1.0 <1.0.0',
    capabilities: {
      'enrollment:catalog.read': { description: 'Browse and search the published catalog', defaultRoles: ['guest', 'learner', 'instructor'] },
      'enrollment:catalog.manage': { description: 'Create and change courses, modules and lessons', defaultRoles: ['instructor'] },
      'enrollment:enroll': { description: 'Enroll oneself, see and cancel one’s enrollments', defaultRoles: ['learner', 'instructor'], risk: ['payments'] },
      'enrollment:progress': { description: 'Track one’s lesson progress', defaultRoles: ['learner', 'instructor'] },
      'enrollment:roster.read': { description: 'See who is enrolled and waitlisted', defaultRoles: ['instructor'], risk: ['pii'] },
      'enrollment:roster.manage': { description: 'Cancel anyone’s enrollment', defaultRoles: [], risk: ['pii'] },
    },
    settings: { schema: enrollmentSettingsSchema },
    events: {
      emits: ['enrollment.created', 'enrollment.waitlisted', 'enrollment.promoted', 'enrollment.cancelled', 'enrollment.lesson.completed'],
      listens: ['payments.checkout.completed', 'payments.checkout.expired', 'payments.payment.refunded', 'lti.membership.added', 'lti.membership.removed'],
    },
    widgets: [
      { tag: 'osv-catalog', entry: 'widgets/catalog.js' },
      { tag: 'osv-enroll', entry: 'widgets/enroll.js' },
    ],
  },
  migrations: [catalogMigration, enrollmentsMigration],

  register(ctx) {
    const search = new CatalogSearch(ctx);
    const courses = new CourseStore(ctx);
    const outcomes = new PaymentOutcomes(ctx);
    const roster = new RosterSync(ctx);

    catalogRoutes(ctx, { search, courses });
    enrollRoutes(ctx, { enroll: new EnrollService(ctx), courses });
    progressRoutes(ctx, { progress: new ProgressService(ctx) });

    ctx.jobs.define(EXPIRE_HOLD_JOB, (job, tx) => outcomes.holdDue(job.tenantId!, job.payload, tx), DATABASE_ONLY);
    ctx.events.onAsync('payments.checkout.completed', (payload, job, tx) => outcomes.completed(job.tenantId!, payload, tx), DATABASE_ONLY);
    ctx.events.onAsync('payments.checkout.expired', (payload, job, tx) => outcomes.expired(job.tenantId!, payload, tx), DATABASE_ONLY);
    ctx.events.onAsync('payments.payment.refunded', (payload, job, tx) => outcomes.refunded(job.tenantId!, payload, tx), DATABASE_ONLY);
    ctx.events.onAsync('lti.membership.added', (payload, job, tx) => roster.added(job.tenantId!, payload, tx), DATABASE_ONLY);
    ctx.events.onAsync('lti.membership.removed', (payload, job, tx) => roster.removed(job.tenantId!, payload, tx), DATABASE_ONLY);
  },
});
