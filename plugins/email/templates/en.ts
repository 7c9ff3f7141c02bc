import type { Catalogue } from './types.js';

export const en: Catalogue = {
  welcome: {
    subject: (v) => `Welcome to ${v.courseTitle}`,
    body: (v) => [`Hi ${v.name},`, `You are enrolled in ${v.courseTitle}. We are glad to have you.`, 'See you in the first lesson!'],
  },
  receipt: {
    subject: (v) => `Your receipt for ${v.courseTitle}`,
    body: (v) => [`Hi ${v.name},`, `We received your payment of ${v.amount} for ${v.courseTitle}.`, 'Keep this email as your receipt.'],
  },
  'promotion-enrolled': {
    subject: (v) => `A seat opened up: you are in ${v.courseTitle}`,
    body: (v) => [`Hi ${v.name},`, `A seat in ${v.courseTitle} opened up and it is yours: you are now enrolled.`],
  },
  'promotion-checkout': {
    subject: (v) => `A seat in ${v.courseTitle} is waiting for you`,
    body: (v) => [
      `Hi ${v.name},`,
      `A seat in ${v.courseTitle} opened up and we are holding it for you until ${v.deadline}.`,
      'Go back to the course page and enroll to complete your payment before then.',
    ],
  },
  refund: {
    subject: (v) => `Your refund for ${v.courseTitle}`,
    body: (v) => [
      `Hi ${v.name},`,
      `We refunded ${v.amount} for ${v.courseTitle}. It may take a few days to appear on your statement.`,
      `Total refunded for this payment so far: ${v.total}.`,
    ],
  },
};
