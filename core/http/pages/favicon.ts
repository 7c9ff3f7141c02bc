import express, { type Router } from 'express';

/** A volt mark on the accent colour the widgets use. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3b5bdb"/><path d="M18 4 8 18h7l-2 10 11-15h-7z" fill="#fff"/></svg>`;

/**
 * `/favicon.ico` (which browsers ask for on their own) and `/favicon.svg`. Both are the SVG: every
 * current browser draws an icon by its content type, whatever the name.
 */
export function favicon(): Router {
  const router = express.Router();
  router.get(['/favicon.ico', '/favicon.svg'], (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(ICON);
  });
  return router;
}
