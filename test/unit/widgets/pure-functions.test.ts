import { describe, expect, it } from 'vitest';
import type { CatalogCourse } from '../../../widgets/src/api-types.js';
import { enrollAction } from '../../../widgets/src/enroll/enroll-action.js';
import { formatPrice } from '../../../widgets/src/shared/format.js';
import { translate, translateCount } from '../../../widgets/src/shared/messages.js';
import { webUrl } from '../../../widgets/src/shared/safe-url.js';
import { type SseMessage, SseParser } from '../../../widgets/src/shared/sse.js';
import { answerPieces } from '../../../widgets/src/tutor/answer-text.js';

describe('SseParser', () => {
  const parse = (...pieces: string[]) => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((message) => messages.push(message));
    for (const piece of pieces) parser.push(piece);
    return messages;
  };

  it('reads events split anywhere, including between CR and LF', () => {
    expect(parse('event: tok', 'en\r', '\ndata: {"text":"a"}\r', '\n\r', '\nevent: done\ndata: {}\n\n')).toEqual([
      { event: 'token', data: '{"text":"a"}' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('joins multi-line data, skips comments, defaults the event name, drops an unfinished event', () => {
    expect(parse(': keep-alive\n\ndata: one\ndata:two\n\nevent: x\ndata: never ends')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
    // A final CR might still become CRLF: the event is complete once the next byte arrives.
    expect(parse('data: a\rdata: b\r\r')).toEqual([]);
    expect(parse('data: a\rdata: b\r\r', ':')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('messages', () => {
  it('translate with parameters and fall back to English for unknown languages', () => {
    expect(translate('es', 'enroll.waitlisted', { position: 2 })).toBe('Estás en la lista de espera (puesto 2).');
    expect(translate('fr', 'enroll.free')).toBe('Enroll for free');
  });

  it('choose plural forms by the language’s rules', () => {
    expect(translateCount('en', 'catalog.count', 1)).toBe('1 course');
    expect(translateCount('en', 'catalog.count', 0)).toBe('0 courses');
    expect(translateCount('es', 'catalog.seats', 1)).toBe('Queda 1 plaza');
    expect(translateCount('es', 'catalog.seats', 4)).toBe('Quedan 4 plazas');
  });
});

describe('formatPrice', () => {
  it('reads amounts in the currency’s smallest unit, as Stripe does', () => {
    expect(formatPrice(4900, 'usd', 'en')).toBe('$49.00');
    expect(formatPrice(4900, 'jpy', 'en')).toBe('¥4,900');
    expect(formatPrice(1250, 'eur', 'es').replace(/\s/g, ' ')).toBe('12,50 €');
  });
});

describe('enrollAction', () => {
  const course = (patch: Partial<CatalogCourse>): CatalogCourse => ({
    id: 'c', slug: 'c', title: 'C', summary: '', priceCents: 0, currency: 'usd', seatsLeft: null, enrollmentOpen: true, paid: false, ...patch,
  });

  it('offers closed, waitlist, buy or free enrollment', () => {
    expect(enrollAction(course({ enrollmentOpen: false, seatsLeft: 0 }))).toBe('closed');
    expect(enrollAction(course({ seatsLeft: 0, paid: true }))).toBe('waitlist');
    expect(enrollAction(course({ paid: true, priceCents: 100 }))).toBe('buy');
    expect(enrollAction(course({ seatsLeft: 3 }))).toBe('free');
  });

  it('follows where the member already stands, even in a full or closed course', () => {
    const paidFull = course({ paid: true, priceCents: 4900, seatsLeft: 0, enrollmentOpen: false });
    expect(enrollAction(paidFull, { status: 'enrolled', enrollmentId: 'e1' })).toBe('enrolled');
    expect(enrollAction(paidFull, { status: 'pending-payment', holdExpiresAt: '2030-01-01T00:00:00Z' })).toBe('pay');
    expect(enrollAction(paidFull, { status: 'waitlisted', enrollmentId: 'e2', position: 2 })).toBe('leave');
    expect(enrollAction(course({ paid: true, priceCents: 4900 }), { status: 'none' })).toBe('buy');
  });
});

describe('webUrl', () => {
  it('lets web addresses through and nothing else', () => {
    expect(webUrl('https://checkout.stripe.com/c/pay/cs_1', ['https:'])).toBe('https://checkout.stripe.com/c/pay/cs_1');
    expect(webUrl('http://example.edu/a', ['https:'])).toBeUndefined();
    expect(webUrl('javascript:alert(1)')).toBeUndefined();
    expect(webUrl('data:text/html,hi')).toBeUndefined();
    expect(webUrl('not a url')).toBeUndefined();
  });
});

describe('answerPieces', () => {
  it('separates text from [n] citation markers', () => {
    expect(answerPieces('Mean [1], median [12].')).toEqual([{ text: 'Mean ' }, { citation: 1 }, { text: ', median ' }, { citation: 12 }, { text: '.' }]);
    expect(answerPieces('no markers [a]')).toEqual([{ text: 'no markers [a]' }]);
  });
});
