import { css } from 'lit';

export const catalogStyles = css`
  .count {
    margin: 0.5em 0;
    font-size: 0.9em;
  }
  [role='listbox'] {
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    max-height: var(--osv-catalog-height, 26em);
    overflow-y: auto;
  }
  [role='listbox']:empty {
    display: none;
  }
  [role='option'] {
    padding: 0.7em 0.9em;
    cursor: pointer;
    border-bottom: 1px solid var(--_border);
  }
  [role='option']:last-child {
    border-bottom: 0;
  }
  [role='option'][aria-selected='true'] {
    background: var(--_highlight);
    box-shadow: inset 4px 0 0 var(--_accent);
  }
  .title {
    display: block;
    font-weight: 600;
  }
  .summary {
    display: block;
    font-size: 0.92em;
  }
  .facts {
    display: block;
    font-size: 0.85em;
    margin-top: 0.2em;
  }
  .more {
    margin-top: 0.6em;
  }
  article h3 {
    margin: 0.6em 0 0.3em;
  }
  article h4 {
    margin: 1em 0 0.3em;
  }
  article ol {
    margin: 0 0 1em;
    padding-left: 1.3em;
  }
`;
