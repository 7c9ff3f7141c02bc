import { css } from 'lit';

/**
 * Shared look. Sites theme widgets with `--osv-*` custom properties (they inherit into the shadow
 * root) and restyle the exposed `::part()`s; `:host` rules are defaults a page may override.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--osv-accent, #3b5bdb);
    --_accent-text: var(--osv-accent-text, #fff);
    --_text: var(--osv-text, #1d2330);
    --_muted: var(--osv-muted, #5a6170);
    --_surface: var(--osv-surface, #fff);
    --_border: var(--osv-border, #d5d9e2);
    --_highlight: var(--osv-highlight, #edf2ff);
    --_radius: var(--osv-radius, 8px);
    --_focus: var(--osv-focus, #1971c2);
    --_error: var(--osv-error, #c92a2a);
    display: block;
    box-sizing: border-box;
    color: var(--_text);
    font-family: var(--osv-font, inherit);
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    padding: 0.55em 1.1em;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  button.quiet {
    background: transparent;
    color: var(--_accent);
    border-color: var(--_border);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: default;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.55em 0.75em;
    width: 100%;
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_error);
  }
  .hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
