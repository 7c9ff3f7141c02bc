import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino masks wherever they appear: secrets never reach a log. */
const redact = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.secrets',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redact, censor: '[redacted]' }, base: { service: 'osv' } }, destination);
}
