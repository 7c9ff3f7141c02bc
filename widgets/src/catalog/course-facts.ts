import type { CatalogCourse } from '../api-types.js';
import type { MessageKey } from '../i18n/en.js';
import { formatPrice } from '../shared/format.js';
import { type Params, translate, translateCount } from '../shared/messages.js';

/** The short line under a course's title: price and seats. */
export function courseFacts(course: CatalogCourse, locale: string): string {
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params);
  const price = course.paid ? formatPrice(course.priceCents, course.currency, locale) : t('catalog.free');
  let seats = '';
  if (!course.enrollmentOpen) seats = t('catalog.closed');
  else if (course.seatsLeft === 0) seats = t('catalog.full');
  else if (course.seatsLeft !== null) seats = translateCount(locale, 'catalog.seats', course.seatsLeft);
  return seats ? `${price} · ${seats}` : price;
}
