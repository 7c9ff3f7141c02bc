import type { ErrorCode } from '../../core/errors.js';
import { escapeHtml, type Page } from './html.js';

/** What the person in front of the LMS can do about each failure. */
const HINTS: Partial<Record<ErrorCode, string>> = {
  OSV_ERR_LTI_UNKNOWN_PLATFORM: 'Your LMS administrator needs to register this LMS in osv (see /lti/setup).',
  OSV_ERR_LTI_AMBIGUOUS_PLATFORM: 'Your LMS administrator should replace the tool’s login and redirection URLs with those on the osv LTI setup page of your organisation.',
  OSV_ERR_LTI_REGISTRATION_DISABLED: 'Your osv administrator has disabled this LMS connection.',
  OSV_ERR_LTI_UNKNOWN_DEPLOYMENT: 'Your osv administrator needs to add this deployment id to the LMS registration.',
  OSV_ERR_LTI_STATE_MISMATCH: 'Go back to the course and open the activity again.',
  OSV_ERR_LTI_NONCE_REPLAYED: 'Go back to the course and open the activity again.',
  OSV_ERR_LTI_TOKEN_EXPIRED: 'Go back to the course and open the activity again.',
  OSV_ERR_LTI_TOKEN_FROM_FUTURE: 'The LMS server clock is ahead of osv; your LMS administrator should check it.',
  OSV_ERR_LTI_PLATFORM_UNREACHABLE: 'osv could not reach the LMS; try again in a minute.',
  OSV_ERR_LTI_HANDOFF_INVALID: 'Go back to the course and open the activity again.',
  OSV_ERR_LTI_KID_MISSING: 'Your LMS administrator should check the LMS signs its launches with a key id (kid).',
};

export function errorPage(error: { code: ErrorCode; message: string; status: number }, handoff?: { action: string; token: string }): Page {
  const hint = HINTS[error.code] ?? (error.status >= 500 ? 'Try again in a minute.' : 'Go back to the course and try again; if it keeps failing, tell your administrator the code below.');
  // A form post, not a link: the one-time token stays out of URLs, history and Referer headers.
  const newWindow = handoff
    ? `<div class="card"><p>Your browser blocked the cookie this launch needs inside the course page. It works in a window of its own:</p>
       <form id="osv-new-window" method="post" action="${escapeHtml(handoff.action)}" target="_blank">
       <input type="hidden" name="handoff" value="${escapeHtml(handoff.token)}">
       <button class="button" id="osv-open-new-window" type="submit">Open in a new window</button></form></div>`
    : '';
  return {
    title: handoff ? 'Open in a new window' : 'This launch could not start',
    body: `<h1>${handoff ? 'Open in a new window' : 'This launch could not start'}</h1>
      <div class="card error" data-osv-error="${escapeHtml(error.code)}"><p>${escapeHtml(error.message)}</p>
      <p class="muted">${escapeHtml(hint)}</p><p class="muted">Code: <code>${escapeHtml(error.code)}</code></p></div>${newWindow}`,
  };
}
