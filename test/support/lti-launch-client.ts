/**
 * Drives an LTI launch over real HTTP the way a browser does (without JavaScript): login
 * initiation at the tool, the LMS's authorization endpoint, the auto-posted id_token form. Keeps
 * cookies per origin like a browser that allows them — or drops them, like one that blocks them.
 */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface LaunchSteps {
  login: HttpAnswer;
  authorization?: HttpAnswer;
  /** The form the LMS would post: id_token and state, and where. */
  form?: { action: string; fields: Record<string, string> };
  launch?: HttpAnswer;
}

export class LtiLaunchClient {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly options: { blockCookies?: boolean } = {}) {}

  /** The whole launch; stops early (and says where) when a step does not lead to the next. */
  async launch(loginUrl: string, login: Record<string, string>, options: { method?: 'GET' | 'POST'; tamperForm?: (form: Record<string, string>) => void } = {}): Promise<LaunchSteps> {
    const steps: LaunchSteps = { login: await this.startLogin(loginUrl, login, options.method ?? 'POST') };
    const location = steps.login.headers.get('location');
    if (steps.login.status !== 302 || !location) return steps;
    steps.authorization = await this.request(location, { method: 'GET' });
    if (steps.authorization.status !== 200) return steps;
    steps.form = parseAutoPostForm(steps.authorization.body);
    options.tamperForm?.(steps.form.fields);
    steps.launch = await this.post(steps.form.action, steps.form.fields);
    return steps;
  }

  startLogin(loginUrl: string, login: Record<string, string>, method: 'GET' | 'POST'): Promise<HttpAnswer> {
    const fields = new URLSearchParams(login);
    return method === 'GET'
      ? this.request(`${loginUrl}?${fields}`, { method: 'GET' })
      : this.request(loginUrl, { method: 'POST', body: fields, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  }

  post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.request(url, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', ...headers },
    });
  }

  async request(url: string, init: RequestInit): Promise<HttpAnswer> {
    const origin = new URL(url).origin;
    const cookies = [...(this.jar.get(origin) ?? new Map()).entries()].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = new Headers(init.headers);
    if (cookies) headers.set('Cookie', cookies);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    if (!this.options.blockCookies) this.store(origin, response.headers.getSetCookie());
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  cookiesOf(origin: string): Map<string, string> {
    return this.jar.get(origin) ?? new Map();
  }

  private store(origin: string, setCookies: string[]): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /^\s*expires=thu, 01 jan 1970/i.test(attribute));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair!.slice(index + 1).trim());
    }
    this.jar.set(origin, cookies);
  }
}

export function parseAutoPostForm(html: string): { action: string; fields: Record<string, string> } {
  const action = decodeEntities(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[match[1]!] = decodeEntities(match[2]!);
  return { action, fields };
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The launch data the tool page embeds for its scripts (`#osv-launch` or `#osv-deep-link`). */
export function pageData<T = { session: { token: string; expiresAt: string }; contextId?: string; requestId?: string }>(html: string): T {
  const match = /<script type="application\/json" id="osv-(?:launch|deep-link)">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error(`no launch data in the page:\n${html.slice(0, 2000)}`);
  return JSON.parse(match[1]!) as T;
}
