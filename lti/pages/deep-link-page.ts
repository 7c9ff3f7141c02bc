import type { CatalogueItem } from '../deep-linking/content-catalogue.js';
import { escapeHtml, type Page, scriptJson } from './html.js';

export interface DeepLinkView {
  requestId: string;
  session: { token: string; expiresAt: string };
  items: CatalogueItem[];
  acceptMultiple: boolean;
}

// Asks osv to sign the selection, then posts it to the LMS from this frame (as the LMS expects).
const SCRIPT = `(() => {
  const picker = JSON.parse(document.getElementById('osv-deep-link').textContent);
  const form = document.getElementById('osv-pick');
  const status = document.getElementById('osv-pick-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const items = [...form.querySelectorAll('input[name=item]:checked')].map((input) => input.value);
    if (items.length === 0) { status.textContent = 'Choose at least one item.'; return; }
    const response = await fetch('/api/v1/lti/deep-links/' + picker.requestId + '/response', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + picker.session.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (!response.ok) { status.textContent = 'osv could not prepare the selection (' + response.status + ').'; return; }
    const answer = await response.json();
    const post = document.createElement('form');
    post.method = 'POST';
    post.action = answer.returnUrl;
    const jwt = document.createElement('input');
    jwt.type = 'hidden'; jwt.name = 'JWT'; jwt.value = answer.jwt;
    post.append(jwt);
    document.body.append(post);
    post.submit();
  });
})();`;

export function deepLinkPage(view: DeepLinkView): Page {
  const type = view.acceptMultiple ? 'checkbox' : 'radio';
  const choices = view.items
    .map(
      (item) => `<label class="card" style="display:block"><input type="${type}" name="item" value="${escapeHtml(item.key)}">
        <strong>${escapeHtml(item.title)}</strong>${item.description ? `<br><span class="muted">${escapeHtml(item.description)}</span>` : ''}</label>`,
    )
    .join('');
  return {
    title: 'Choose content',
    body: `<h1>Add osv content to your course</h1>
      ${choices ? `<form id="osv-pick">${choices}<p><button type="submit">Add to course</button> <span class="muted" id="osv-pick-status"></span></p></form>` : '<p class="muted">No plugin with LMS content is enabled for your institution yet.</p>'}
      <script type="application/json" id="osv-deep-link">${scriptJson({ requestId: view.requestId, session: view.session })}</script>`,
    script: choices ? SCRIPT : undefined,
  };
}
