import type { Catalogue } from './types.js';

export const es: Catalogue = {
  welcome: {
    subject: (v) => `Te damos la bienvenida a ${v.courseTitle}`,
    body: (v) => [`Hola, ${v.name}:`, `Ya estás inscrito en ${v.courseTitle}. Nos alegra tenerte con nosotros.`, '¡Nos vemos en la primera lección!'],
  },
  receipt: {
    subject: (v) => `Tu recibo de ${v.courseTitle}`,
    body: (v) => [`Hola, ${v.name}:`, `Hemos recibido tu pago de ${v.amount} por ${v.courseTitle}.`, 'Guarda este correo como recibo.'],
  },
  'promotion-enrolled': {
    subject: (v) => `Se liberó una plaza: ya estás en ${v.courseTitle}`,
    body: (v) => [`Hola, ${v.name}:`, `Se liberó una plaza en ${v.courseTitle} y es tuya: ya estás inscrito.`],
  },
  'promotion-checkout': {
    subject: (v) => `Te reservamos una plaza en ${v.courseTitle}`,
    body: (v) => [
      `Hola, ${v.name}:`,
      `Se liberó una plaza en ${v.courseTitle} y te la guardamos hasta el ${v.deadline}.`,
      'Vuelve a la página del curso e inscríbete para completar el pago antes de esa fecha.',
    ],
  },
  refund: {
    subject: (v) => `Tu reembolso de ${v.courseTitle}`,
    body: (v) => [
      `Hola, ${v.name}:`,
      `Te hemos reembolsado ${v.amount} por ${v.courseTitle}. Puede tardar unos días en aparecer en tu extracto.`,
      `Total reembolsado de este pago hasta ahora: ${v.total}.`,
    ],
  },
};
