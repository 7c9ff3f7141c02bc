import type { MemberRole } from '../../core/tenancy/users.js';
import type { CatalogueItem } from '../deep-linking/content-catalogue.js';
import { escapeHtml, type Page, scriptJson } from './html.js';

export interface LaunchView {
  /** The osv access token the page's scripts and widgets send as `Authorization: Bearer`. */
  session: { token: string; expiresAt: string };
  role: MemberRole;
  userName: string | null;
  courseTitle: string | null;
  /** osv's id of the course, for the management calls. */
  contextId?: string;
  linkTitle: string | null;
  /** The item this link was deep-linked to. */
  item?: CatalogueItem;
  tools: CatalogueItem[];
}

const WIDGET_LOADER = '/widgets/v1/loader.js';

function widget(item: CatalogueItem): string {
  const tag = item.widget && /^osv-[a-z0-9-]+$/.test(item.widget) ? item.widget : undefined;
  return `<section class="card" data-osv-tool="${escapeHtml(item.key)}"><h2>${escapeHtml(item.title)}</h2>
    ${item.description ? `<p class="muted">${escapeHtml(item.description)}</p>` : ''}${tag ? `<${tag}></${tag}>` : ''}</section>`;
}

function learnerBody(view: LaunchView): string {
  if (view.item) return widget(view.item);
  const tools = view.tools.map(widget).join('') || '<p class="muted">This course has no tools enabled yet.</p>';
  return `<p>Your course tools:</p>${tools}`;
}

function instructorBody(view: LaunchView): string {
  const roster = view.contextId
    ? `<section class="card" id="osv-roster"><h2>Roster</h2><p class="muted" id="osv-roster-status">Members as the LMS lists them.</p>
       <p><button type="button" id="osv-roster-sync">Sync roster now</button></p></section>`
    : '';
  const linked = view.item ? `<section class="card"><h2>This link opens</h2>${widget(view.item)}</section>` : '';
  const tools = view.tools.map((tool) => `<li>${escapeHtml(tool.title)} <span class="muted">(${escapeHtml(tool.key)})</span></li>`).join('');
  return `${linked}${roster}<section class="card"><h2>Tools enabled for your courses</h2>
    ${tools ? `<ul>${tools}</ul>` : '<p class="muted">None yet: an osv administrator enables plugins.</p>'}
    <p class="muted">Add one to the course with your LMS's "add external tool / content" picker.</p></section>`;
}

// Hands the token to widgets (the loader's `identify` command) and drives the management buttons.
const SCRIPT = `(() => {
  const launch = JSON.parse(document.getElementById('osv-launch').textContent);
  let token = launch.session.token;
  const api = (path, init = {}) => fetch('/api/v1/lti' + path, { ...init, headers: { Authorization: 'Bearer ' + token, ...(init.headers || {}) } });
  const refresh = async () => {
    const response = await api('/session/refresh', { method: 'POST' });
    if (!response.ok) return undefined;
    token = (await response.json()).token;
    return token;
  };
  window.osv = window.osv || [];
  window.osv.push(['identify', { token, refresh }]);
  const status = document.getElementById('osv-roster-status');
  const showRoster = async () => {
    const response = await api('/contexts/' + launch.contextId + '/members');
    if (response.ok) status.textContent = (await response.json()).length + ' active members.';
  };
  const sync = document.getElementById('osv-roster-sync');
  if (sync) {
    showRoster();
    sync.addEventListener('click', async () => {
      sync.disabled = true;
      const response = await api('/contexts/' + launch.contextId + '/roster-sync', { method: 'POST' });
      status.textContent = response.ok ? 'Sync requested; refresh in a moment.' : 'The sync could not be requested.';
      sync.disabled = false;
    });
  }
})();`;

export function launchPage(view: LaunchView): Page {
  const teaching = view.role !== 'learner';
  const heading = view.item?.title ?? view.linkTitle ?? view.courseTitle ?? 'Open Study Volt';
  const data = { session: view.session, contextId: view.contextId };
  return {
    title: heading,
    body: `<div data-osv-view="${teaching ? 'instructor' : 'learner'}" data-osv-role="${view.role}"${view.item ? ` data-osv-item="${escapeHtml(view.item.key)}"` : ''}>
      <h1>${escapeHtml(heading)}</h1>
      <p class="muted">${escapeHtml(view.userName ?? '')}${view.courseTitle ? ` · ${escapeHtml(view.courseTitle)}` : ''}</p>
      ${teaching ? instructorBody(view) : learnerBody(view)}</div>
      <script type="application/json" id="osv-launch">${scriptJson(data)}</script>`,
    script: SCRIPT,
    scripts: [WIDGET_LOADER],
  };
}
