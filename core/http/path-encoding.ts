import type { RequestHandler } from 'express';
import { OsvError } from '../errors.js';

/**
 * Refuses a path that does not percent-decode (`%ZZ`, `%C3%28`) before any router sees it, so every
 * route (API, plugins, LTI pages, assets) answers 400 instead of failing while decoding its parameters.
 */
export const refuseUndecodablePath: RequestHandler = (req, _res, next) => {
  const path = req.path;
  if (path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      throw new OsvError('OSV_ERR_BAD_PATH');
    }
  }
  next();
};
