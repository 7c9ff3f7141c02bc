import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course, SimUser, ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let client: ToolClient;
let course: Course;
let ada: SimUser;
const profiles: string[] = [];

/**
 * A Chromium profile. `blockToolInLms` blocks every cookie of the tool while it is embedded in the
 * LMS's site (a per-site content setting; partitioned cookies included), as a strict browser or
 * an enterprise policy would; the tool in a window of its own keeps its cookies.
 */
async function browserContext(options: { blockToolInLms: boolean }): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(tmpdir(), 'osv-chromium-'));
  profiles.push(profile);
  mkdirSync(path.join(profile, 'Default'));
  const toolSite = `http://localhost:*`;
  const lmsSite = `http://127.0.0.1:*`;
  const exceptions = options.blockToolInLms ? { [`${toolSite},${lmsSite}`]: { setting: 2 } } : {};
  writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { content_settings: { exceptions: { cookies: exceptions } } } }));
  // Third-party cookies blocked, as Chromium does for more and more users.
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...ARGS, '--test-third-party-cookie-phaseout'] });
}

async function toolFrame(page: Page, selector: string): Promise<Frame> {
  const frameHandle = await page.waitForSelector('iframe#tool');
  const frame = (await frameHandle.contentFrame())!;
  await frame.waitForSelector(selector, { timeout: 15_000 });
  return frame;
}

beforeAll(async () => {
  connected = await startConnectedLms({ lms: { host: '127.0.0.1' }, enable: 'example' });
  ({ platform, lms, client } = connected);
  course = lms.addCourse('Browser 101');
  ada = lms.addUser('Ada Learner');
  lms.enroll(course, ada);
});
afterAll(async () => {
  await connected?.close();
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
});

const SKIPPED = existsSync(CHROMIUM) ? '' : ` — skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

// The LMS (127.0.0.1) and osv (localhost) are different sites: osv runs in a third-party iframe.
describe.skipIf(SKIPPED !== '')(`launches inside the LMS iframe in headless Chromium${SKIPPED}`, () => {
  it('work with third-party cookies blocked, thanks to the partitioned state cookie', async () => {
    const context = await browserContext({ blockToolInLms: false });
    try {
      const page = await context.newPage();
      await page.goto(lms.coursePageUrl(lms.prepareLaunch({ clientId: client.clientId, user: ada, course })));
      const frame = await toolFrame(page, '[data-osv-view]');
      expect(await frame.getAttribute('[data-osv-view]', 'data-osv-view')).toBe('learner');
      expect(await frame.textContent('body')).toContain('Course notes');
    } finally {
      await context.close();
    }
  });

  it('offer "open in a new window" when the browser drops the state cookie, and the launch works there', async () => {
    const context = await browserContext({ blockToolInLms: true });
    try {
      const page = await context.newPage();
      await page.goto(lms.coursePageUrl(lms.prepareLaunch({ clientId: client.clientId, user: ada, course })));
      const frame = await toolFrame(page, '[data-osv-error]');
      expect(await frame.getAttribute('[data-osv-error]', 'data-osv-error')).toBe('OSV_ERR_LTI_STATE_COOKIE_MISSING');
      const popupOpened = context.waitForEvent('page');
      await frame.click('#osv-open-new-window');
      const popup = await popupOpened;
      await popup.waitForSelector('[data-osv-view]', { timeout: 15_000 });
      expect(new URL(popup.url()).origin).toBe(platform.url);
      expect(await popup.getAttribute('[data-osv-view]', 'data-osv-view')).toBe('learner');
      expect(await popup.textContent('body')).toContain('Course notes');
    } finally {
      await context.close();
    }
  });
});
