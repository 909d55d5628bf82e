/**
 * The workshop page of `serve --server openvidu3` in real headless Chromium: LiveKit's rooms, participants, tracks
 * and egresses drawn from the feed, the LiveKit event log with its explanations, the OpenVidu 2 views out of sight,
 * and the page's own buttons driving the room.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import type { OvsimServer } from '../../src/server/create-server.js';
import { CHROMIUM, haveChromium, openServedPage, type ServedPage } from './browser.js';

if (!haveChromium)
  console.warn(
    `test/browser/page-openvidu3.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`,
  );

describe.skipIf(!haveChromium)('the page with OpenVidu 3 in headless Chromium', () => {
  let server: OvsimServer;
  let page: Page;
  let url: string;
  let served: ServedPage;

  beforeAll(async () => {
    served = await openServedPage(
      {
        server: 'openvidu3',
        scenario: await readScenario('lk-recorder-participant'),
        seed: 1,
        start: Date.parse('2024-01-01T00:00:00Z'),
        speed: 1000,
        paused: true,
      },
      { width: 1440, height: 1000 },
    );
    ({ server, url, page } = served);
  }, 30_000);

  afterAll(async () => {
    await served?.close();
  });

  it('draws the LiveKit rooms and events of a scenario, and hides the OpenVidu 2 views', async () => {
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#scenario-name').textContent()).toContain('OpenVidu 3 (LiveKit');
    server.simulation.resume();
    const room = page.locator('[data-room]');
    await page.locator('.lk-event[data-event="room_finished"]').waitFor();
    await expect.poll(() => room.getByText('finished', { exact: true }).count()).toBe(1);
    expect(await room.locator('code').first().textContent()).toMatch(/^RM_/);
    const people = room.locator('[data-participant-sid]');
    expect(await people.count()).toBe(3);
    expect(await people.nth(2).textContent()).toMatch(/^EG_\w+ PA_\w+ DISCONNECTED.*kind EGRESS/);
    expect(await people.nth(0).locator('.tracks li').count()).toBe(2);
    expect(await room.locator('[data-egress]').textContent()).toContain(
      'STARTING → ACTIVE → ENDING → COMPLETE',
    );
    const log = page.locator('#livekit-log .lk-event');
    expect(await log.count()).toBe(16);
    expect(await log.first().getAttribute('data-event')).toBe('room_finished');
    await page.locator('.lk-event[data-event="egress_started"] summary').click();
    const opened = page.locator('.lk-event[data-event="egress_started"]');
    expect(await opened.locator('.note').textContent()).toContain('EGRESS_STARTING');
    expect(await opened.locator('pre').textContent()).toMatch(/^\{"event":"egress_started"/);
    expect(await page.locator('#sessions').isVisible()).toBe(false);
    expect(await page.locator('section.timeline').isVisible()).toBe(false);
    // Take home: the LiveKit bodies, no CDR file
    await page.locator('#take-home summary').click();
    expect(await page.getByTestId('download-webhook').isVisible()).toBe(true);
    expect(await page.getByTestId('download-cdr').isVisible()).toBe(false);
    await page.locator('#take-home summary').click();
    expect(served.pageErrors).toEqual([]);
  });

  it('drives a room from its buttons: a join becomes participant_joined once ACTIVE', async () => {
    await page.fill('#create-handle', 'demo');
    await page.click('#btn-create');
    const card = page.locator('[data-room]', { hasText: 'open' });
    await card.getByRole('button', { name: '+ Join' }).click();
    await card.locator('[data-participant-sid]').getByText('ACTIVE').waitFor();
    await card.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => card.locator('.tracks li').count()).toBe(2);
    expect(served.pageErrors).toEqual([]);
  });
});
