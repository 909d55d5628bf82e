/**
 * The page as a room sees it, in real headless Chromium: at a laptop's 1280×800 and a projector's 1024×768, in the
 * normal and the presentation mode, the event log stays beside the world, the regions do not overlap or spill out of
 * the window, the type is large enough to read, nothing hides behind a tooltip, and the timeline has one mark per
 * event. Each combination is saved as a screenshot in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { CHROMIUM, haveChromium, openServedPage, type ServedPage } from './browser.js';

if (!haveChromium)
  console.warn(`test/browser/layout.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

/** The machine may be shared: give the page time to catch up. */
const POLL = { timeout: 5000 };

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function box(page: Page, region: string): Promise<Box> {
  const b = await page.locator(`[data-region="${region}"]`).boundingBox();
  if (!b) throw new Error(`region ${region} is not shown`);
  return b;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The smallest computed font size, px, among the visible elements matching `selector`. */
async function smallestFont(page: Page, selector: string): Promise<number> {
  const sizes = await page
    .locator(selector)
    .evaluateAll((els) =>
      els
        .filter((e) => e.offsetParent !== null)
        .map((e) => Number.parseFloat(e.ownerDocument.defaultView.getComputedStyle(e).fontSize)),
    );
  if (sizes.length === 0) throw new Error(`nothing visible matches ${selector}`);
  return Math.min(...sizes);
}

describe.skipIf(!haveChromium)('the page at laptop and projector sizes, normal and presentation mode', () => {
  let served: ServedPage;
  let page: Page;
  let events = 0;

  beforeAll(async () => {
    served = await openServedPage(
      {
        seed: 7,
        start: Date.parse('2024-05-10T14:00:00Z'),
        paused: true,
        scenario: await readScenario('default'),
      },
      { width: 1280, height: 800 },
    );
    page = served.page;
    // Part-way through the default scenario: a recorded meeting with people in it and cascades in the log.
    for (let i = 0; i < 11; i++) served.server.simulation.step();
    events = served.server.simulation.log.newest;
    mkdirSync('test-artifacts', { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await served?.close();
  });

  const cases = [
    { width: 1280, height: 800, present: false },
    { width: 1024, height: 768, present: false },
    { width: 1280, height: 800, present: true },
    { width: 1024, height: 768, present: true },
  ];

  for (const c of cases) {
    const mode = c.present ? 'presentation' : 'normal';
    it(`${c.width}×${c.height}, ${mode} mode`, async () => {
      await page.setViewportSize({ width: c.width, height: c.height });
      await page.goto(`${served.url}/${c.present ? '?present' : ''}`);
      await expect.poll(() => page.locator('#log .event').count(), POLL).toBe(events);
      expect(await page.evaluate("document.body.classList.contains('present')")).toBe(c.present);

      // The log beside the world, the timeline under the world; nothing overlaps, nothing spills sideways.
      const world = await box(page, 'world');
      const log = await box(page, 'log');
      const timeline = await box(page, 'timeline');
      expect(log.x).toBeGreaterThanOrEqual(world.x + world.width);
      expect(Math.min(world.y + world.height, log.y + log.height) - Math.max(world.y, log.y)).toBeGreaterThan(
        world.height / 2,
      );
      expect(timeline.y).toBeGreaterThanOrEqual(world.y + world.height);
      for (const [a, b] of [
        [world, log],
        [world, timeline],
        [timeline, log],
      ] as const)
        expect(overlap(a, b)).toBe(false);
      for (const r of [world, log, timeline]) {
        expect(r.x + r.width).toBeLessThanOrEqual(c.width);
        expect(r.y + r.height).toBeLessThanOrEqual(c.height);
        expect(r.width).toBeGreaterThan(300);
        expect(r.height).toBeGreaterThan(140);
      }
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
        c.width,
      );

      // Type a room can read in presentation mode; still comfortable otherwise.
      const min = c.present ? { text: 18, story: 26 } : { text: 12, story: 14 };
      expect(await smallestFont(page, '#log .event-head .type, #log .summary')).toBeGreaterThanOrEqual(
        min.text,
      );
      expect(await smallestFont(page, '#log .group-head .sentence')).toBeGreaterThanOrEqual(min.text);
      expect(await smallestFont(page, '[data-region="world"] .lane strong')).toBeGreaterThanOrEqual(min.text);
      expect(await smallestFont(page, '#latest-sentence')).toBeGreaterThanOrEqual(min.story);
      // The buttons that matter are there; the rest waits outside presentation mode.
      for (const id of ['#btn-resume', '#btn-pause', '#btn-step', '#btn-present']) {
        expect(await page.locator(id).isVisible(), id).toBe(true);
      }
      expect(await page.locator('#btn-reset').isVisible()).toBe(!c.present);
      expect(await page.locator('[data-testid="kick"]').first().isVisible()).toBe(!c.present);

      // Explanations are in the help line, not in tooltips nobody in the room sees.
      expect(await page.locator('[title]').count()).toBe(0);
      await page.locator('[data-testid="network-drop"]').first().hover();
      await expect.poll(() => page.locator('#help-line').textContent(), POLL).toContain('loses the network');

      // One timeline mark per event, each naming its event's position in the run.
      const marks = await page
        .locator('[data-region="timeline"] [data-event-index]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-event-index'))));
      expect(marks.sort((a, b) => a - b)).toEqual(Array.from({ length: events }, (_, i) => i + 1));
      const minX = await page
        .locator('[data-region="timeline"] [data-event-index]')
        .evaluateAll((els) => Math.min(...els.map((e) => e.getBoundingClientRect().width)));
      expect(minX).toBeGreaterThanOrEqual(c.present ? 10 : 7);

      await page.screenshot({ path: `test-artifacts/page-${c.width}x${c.height}-${mode}.png` });
      expect(served.pageErrors).toEqual([]);
    });
  }
});
