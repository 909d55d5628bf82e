/**
 * The workshop page in real headless Chromium (the Debian `chromium` package, driven by playwright-core): click
 * through create session → join → publish → start recording → leave and check the page shows the events and state.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OvsimServer } from '../../src/server/create-server.js';
import { CHROMIUM, haveChromium, openServedPage, type ServedPage } from './browser.js';

if (!haveChromium)
  console.warn(`test/browser/page.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('the page in headless Chromium', () => {
  let server: OvsimServer;
  let page: Page;
  let url: string;
  let pageErrors: string[] = [];

  let served: ServedPage;

  beforeAll(async () => {
    served = await openServedPage(
      { seed: 7, start: Date.parse('2024-05-10T14:00:00Z') },
      { width: 1440, height: 1000 },
    );
    ({ server, url, page } = served);
    pageErrors = served.pageErrors;
  }, 30_000);

  afterAll(async () => {
    await served?.close();
  });

  it('clicks through a session lifecycle and shows its events and state', async () => {
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#clock-status').textContent()).toBe('running');
    await page.selectOption('#speed', '10');
    await expect.poll(() => server.simulation.state().clock.speed).toBe(10);

    await page.fill('#create-handle', 'demo');
    await page.click('#btn-create');
    const session = page.locator('[data-session="demo"]');
    await session.waitFor();

    await session.locator('[data-role="join-name"]').fill('alice');
    await session.getByTestId('join').click();
    const alice = session.locator('[data-participant="alice"]');
    await alice.waitFor();

    await alice.getByTestId('publish').click();
    await alice.getByText('OUTBOUND · publishing CAMERA').waitFor();

    await session.getByTestId('start-recording').click();
    // COMPOSED recordings take a second or two of virtual time to start (at 10×: a fraction of a second).
    await session.locator('[data-recording]').getByText('started', { exact: true }).waitFor();

    await alice.getByTestId('leave').click();
    await alice.getByText('left · disconnect').waitFor();

    const log = page.locator('#log');
    const types = await log
      .locator('.event')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types).toEqual(
      expect.arrayContaining([
        'sessionCreated',
        'participantJoined',
        'webrtcConnectionCreated',
        'recordingStatusChanged',
        'webrtcConnectionDestroyed',
        'participantLeft',
      ]),
    );
    // The leave is one cascade, titled as a sentence: its stream is destroyed, then the participant leaves.
    const leaveGroup = log.locator('.group', { hasText: 'alice left: their media connection closed' });
    await expect
      .poll(() =>
        leaveGroup.locator('.event').evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))),
      )
      .toEqual(['webrtcConnectionDestroyed', 'participantLeft']);

    // Expanding an event shows its CDR line and WebHook body exactly as the server's log has them, and pretty-printed
    // with the human time beside each epoch value.
    await leaveGroup.locator('.event[data-type="participantLeft"] .event-head').click();
    const detail = leaveGroup.locator('.detail');
    const serverEntry = server.simulation.log.page(0, 1000).events.find((e) => e.name === 'participantLeft');
    expect(serverEntry?.cdr).toBeTruthy();
    await expect
      .poll(() => detail.locator('[data-payload="cdr"] pre.raw').textContent())
      .toBe(serverEntry?.cdr);
    await expect
      .poll(() => detail.locator('[data-payload="webhook"] pre.raw').textContent())
      .toBe(serverEntry?.webhook);
    const pretty = detail.locator('[data-payload="webhook"] pre.json');
    expect(await pretty.locator('.j-key').first().textContent()).toBe('"sessionId"');
    const time = new Date(serverEntry!.timestamp).toISOString().replace('T', ' ').replace('Z', ' UTC');
    expect(await pretty.locator('.j-time').first().textContent()).toContain(time);
    await expect.poll(() => detail.textContent()).toContain('the user left on purpose');

    // Filtering by type hides those events.
    await page.click('[data-filter="webrtcConnectionCreated"]');
    expect(await log.locator('.event[data-type="webrtcConnectionCreated"]:visible').count()).toBe(0);
    await page.click('[data-filter="webrtcConnectionCreated"]');

    // The server agrees with the page: alice is gone, the recording still runs (auto-stop countdown).
    const live = server.simulation.state().snapshot.sessions.find((s) => s.handle === 'demo');
    expect(live?.participants).toEqual([]);
    expect(live?.autostopArmed).toBe(true);
    expect(await page.getByTestId('webhook-off').textContent()).toContain('Not configured');
    // CE: one media server, no Pro controls, and a hint how to see Pro.
    expect(await page.getByTestId('pro-hint').textContent()).toContain('ovsim serve --edition pro');
    for (const id of ['launch-node', 'crash-node', 'start-broadcast', 'register-master']) {
      expect(await page.getByTestId(id).count(), id).toBe(0);
    }
    expect(await page.locator('#create-node').isHidden()).toBe(true);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/page.png', fullPage: false });
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
