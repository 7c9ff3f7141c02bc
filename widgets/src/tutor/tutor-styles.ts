import { css } from 'lit';

export const tutorStyles = css`
  section {
    display: flex;
    flex-direction: column;
    gap: 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 0.8em;
  }
  .log {
    max-height: var(--osv-tutor-height, 24em);
    min-height: 6em;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
    gap: 0.6em;
  }
  .message {
    border-radius: var(--_radius);
    padding: 0.55em 0.8em;
    max-width: 90%;
  }
  .text {
    white-space: pre-wrap;
  }
  .user {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .tutor {
    align-self: flex-start;
    background: var(--_highlight);
  }
  /* Full-strength colour: a faded label on the accent bubble falls below 4.5:1 contrast. */
  .who {
    display: block;
    font-size: 0.78em;
    font-weight: 600;
  }
  .ref {
    padding: 0 0.1em;
    margin: 0;
    background: none;
    color: var(--_accent);
    border: 0;
    font-size: 0.85em;
    vertical-align: super;
    text-decoration: underline;
  }
  .sources {
    margin: 0.5em 0 0;
    padding-left: 1.4em;
    font-size: 0.88em;
  }
  .sources a,
  .sources button {
    color: var(--_accent);
  }
  .sources button {
    background: none;
    border: 0;
    padding: 0;
    text-decoration: underline;
  }
  .thinking::after {
    content: '…';
    display: inline-block;
    animation: osv-pulse 1s ease-in-out infinite;
  }
  @keyframes osv-pulse {
    50% {
      opacity: 0.2;
    }
  }
  form {
    display: flex;
    gap: 0.5em;
    align-items: flex-end;
  }
  textarea {
    resize: vertical;
    min-height: 2.6em;
  }
  .materials ul {
    padding-left: 1.2em;
  }
  .materials button {
    margin-left: 0.3em;
    padding: 0 0.4em;
  }
`;
