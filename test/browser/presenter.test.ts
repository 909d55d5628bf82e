/**
 * Telling the story of a session in front of a room, in real headless Chromium: the first load of a paused scenario
 * says what comes next and points at Run; a keyboard-only walk steps, moves between cascades, zooms into events and
 * opens a lifecycle; the timeline's marks open their events and follow the clock; the room takes home the CDR file,
 * a link to the same position and a lifecycle diagram; a CE media server crash shows on its card.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { CHROMIUM, haveChromium, openServedPage, type ServedPage } from './browser.js';

if (!haveChromium)
  console.warn(`test/browser/presenter.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

const START = Date.parse('2024-05-10T14:00:00Z');
/** The machine may be shared: give the page time to catch up. */
const POLL = { timeout: 5000 };

describe.skipIf(!haveChromium)('presenting with the page in headless Chromium', () => {
  let served: ServedPage;
  let page: Page;

  beforeAll(async () => {
    served = await openServedPage(
      { seed: 7, start: START, paused: true, scenario: await readScenario('default') },
      { width: 1024, height: 768 },
    );
    page = served.page;
  }, 30_000);

  afterAll(async () => {
    await served?.close();
  });

  const groups = () => page.locator('#log .group');
  const selectedBatch = () => page.locator('#log .group.selected').getAttribute('data-batch');
  const sim = () => served.server.simulation;

  it('walks through a scenario with the keyboard alone, in presentation mode', async () => {
    await page.goto(`${served.url}/?present`);
    expect(await page.evaluate("document.body.classList.contains('present')")).toBe(true);
    // First load: what comes next, and Run is the button to press.
    await expect.poll(() => page.getByTestId('next-step').textContent(), POLL).toContain('Step 1 of 24');
    expect(await page.getByTestId('next-step').textContent()).toContain(
      'your backend creates session standup',
    );
    expect(await page.locator('#btn-resume').getAttribute('class')).toContain('cta');
    expect(await page.getByTestId('empty-hint').textContent()).toContain('24 of its 24 steps wait');

    await page.keyboard.press('s');
    await expect.poll(() => groups().count(), POLL).toBe(1);
    expect(await page.locator('#latest-sentence').textContent()).toBe(
      'Your backend created session standup (recorded from its first publisher on)',
    );
    await expect.poll(() => page.getByTestId('next-step').textContent(), POLL).toContain('Step 2 of 24');

    // Next cascade at the newest one steps the scenario, and chooses what it did.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => groups().count(), POLL).toBe(4);
    await expect.poll(selectedBatch, POLL).toBe(String(sim().log.page(0, 100).events.at(-1)?.batch));
    expect(await page.locator('#latest-who').textContent()).toContain('Chosen');
    const newest = Number(await selectedBatch());
    await page.keyboard.press('ArrowLeft');
    await expect.poll(selectedBatch, POLL).toBe(String(newest - 1));

    // Zoom into the chosen event, move along its cascade, close.
    await page.keyboard.press('Enter');
    const zoom = page.getByTestId('zoom-event');
    await zoom.waitFor();
    const first = Number(await zoom.getAttribute('data-event-index'));
    const entry = sim().log.page(first - 1, 1).events[0];
    expect(await zoom.textContent()).toContain(entry?.name);
    expect(await zoom.locator('.j-key').count()).toBeGreaterThan(5);
    // Down walks on, past the cascade's end into the next one; up walks back.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => zoom.getAttribute('data-event-index'), POLL).toBe(String(first + 1));
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => zoom.getAttribute('data-event-index'), POLL).toBe(String(first));
    await page.keyboard.press('Escape');
    await zoom.waitFor({ state: 'hidden' });
    expect(await page.locator('#zoom').evaluate((d) => (d as { open: boolean }).open)).toBe(false);

    // The lifecycle of what the chosen event is about.
    await page.keyboard.press('l');
    await page.getByTestId('lifecycle').waitFor();
    expect(await page.locator('[data-testid="lifecycle"] svg .state').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    // Run and pause, leave and re-enter presentation mode, the list of shortcuts.
    await page.keyboard.press(' ');
    await expect.poll(() => sim().state().clock.status, POLL).toBe('running');
    await expect.poll(() => page.locator('#clock-status').textContent(), POLL).toBe('running');
    await page.keyboard.press(' ');
    await expect.poll(() => sim().state().clock.status, POLL).toBe('paused');
    await page.keyboard.press('f');
    expect(await page.evaluate("document.body.classList.contains('present')")).toBe(false);
    expect(page.url()).not.toContain('present');
    await page.keyboard.press('f');
    expect(page.url()).toContain('?present');
    await page.keyboard.press('?');
    expect(await page.getByTestId('shortcuts').textContent()).toContain('zoom into the event');
    await page.keyboard.press('Escape');
    expect(served.pageErrors).toEqual([]);
  });

  it('opens an event from its timeline mark, zooms the timeline in and follows the clock', async () => {
    await page.goto(`${served.url}/`);
    await page.locator('[data-event-index="2"]').waitFor();
    await page.locator('[data-event-index="2"]').click();
    const row = page.locator('#log .event.selected');
    await expect.poll(() => row.getAttribute('data-seq'), POLL).toBe('2');
    await row.locator('.detail').waitFor();
    await expect
      .poll(() => page.locator('[data-event-index="2"]').getAttribute('class'), POLL)
      .toContain('selected');

    const scroller = page.locator('#tl-scroll');
    const edge = () =>
      scroller.evaluate(
        (el) =>
          Math.abs(el.scrollWidth - el.clientWidth - el.scrollLeft) <= 2 && el.scrollWidth > el.clientWidth,
      );
    for (let i = 0; i < 6; i++) await page.click('#tl-in');
    await expect.poll(edge, POLL).toBe(true);
    // Scrolled back, it stops following; "now" brings it back, and it keeps up while time runs.
    await scroller.evaluate((el) => {
      el.scrollLeft = 0;
    });
    await expect.poll(() => page.locator('#tl-follow').getAttribute('aria-pressed'), POLL).toBe('false');
    await page.click('#tl-follow');
    await expect.poll(edge, POLL).toBe(true);
    const nowX = () => page.locator('.now line').getAttribute('x1').then(Number);
    const before = await nowX();
    sim().setSpeed(20);
    sim().resume();
    await expect.poll(nowX, POLL).toBeGreaterThan(before + 20);
    await expect.poll(edge, POLL).toBe(true);
    sim().pause();
    await page.click('#tl-fit');
    await expect.poll(() => scroller.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), POLL).toBe(true);
    expect(served.pageErrors).toEqual([]);
  });

  it('takes the room home: the CDR file, a link to the same position, a lifecycle diagram as SVG', async () => {
    for (let i = 0; i < 200 && sim().step() !== null; i++);
    const seq = 20;
    await page.goto(`${served.url}/`);
    await page.locator(`[data-event-index="${seq}"]`).click();
    await page.click('#take-home summary');
    const [cdr] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-cdr').click(),
    ]);
    expect(cdr.suggestedFilename()).toBe('default-seed7.cdr.log');
    const fromServer = await fetch(`${served.url}/api/download/cdr`, {
      headers: { authorization: `Basic ${Buffer.from('OPENVIDUAPP:page-test-secret').toString('base64')}` },
    }).then((r) => r.text());
    expect(readFileSync((await cdr.path())!, 'utf8')).toBe(fromServer);
    expect(fromServer.split('\n')).toHaveLength(sim().log.newest + 1);

    const link = await page.getByTestId('permalink').inputValue();
    const u = new URL(link);
    expect(Object.fromEntries(u.searchParams)).toEqual({
      scenario: 'default',
      seed: '7',
      start: '2024-05-10T14:00:00.000Z',
      event: String(seq),
    });
    // Someone else moved the world on; the link brings back the scenario, the seed and the position.
    sim().load(await readScenario('basic-call'), { seed: 99 });
    const other = await page.context().newPage();
    await other.goto(link);
    await expect
      .poll(() => other.locator('#log .event.selected').getAttribute('data-seq'), POLL)
      .toBe(String(seq));
    const st = sim().state();
    expect(st).toMatchObject({ scenario: { name: 'default' }, seed: '7', start: START });
    const cascade = sim().log.page(seq - 1, 1).events[0]?.batch;
    expect(sim().log.newest).toBe(
      Math.max(
        ...sim()
          .log.page(0, 1000)
          .events.filter((e) => e.batch === cascade)
          .map((e) => e.seq),
      ),
    );
    expect(other.url()).not.toContain('scenario=');
    await other.close();

    // The session's lifecycle, from creation to destruction, saved as an SVG file.
    for (let i = 0; i < 200 && sim().step() !== null; i++);
    await page.goto(`${served.url}/`);
    await page.locator('[data-session="standup"]').getByTestId('session-lifecycle').click();
    const states = page.locator('[data-testid="lifecycle"] svg .state');
    await expect
      .poll(() => states.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), POLL)
      .toEqual(['created', 'in use', 'recording', 'empty', 'destroyed']);
    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-svg').click(),
    ]);
    const text = readFileSync((await svg.path())!, 'utf8');
    expect(
      text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
    ).toBe(true);
    expect(text).toContain('Session standup (DailyStandup) — lifecycle');
    expect(text).toContain('reason sessionClosedByServer');
    expect(served.pageErrors).toEqual([]);
  });

  it('shows a CE media server crash on its card', async () => {
    sim().load(await readScenario('media-server-crash'), { seed: 7 });
    for (let i = 0; i < 200 && sim().step() !== null; i++);
    await page.goto(`${served.url}/`);
    const status = page.getByTestId('media-server-status');
    await expect.poll(() => status.textContent(), POLL).toBe('running again · crashed at 14:00:40');
    expect(await page.getByTestId('incidents').textContent()).toContain(
      '1 session closed (reason nodeCrashed)',
    );
    expect(await page.locator('[data-session="s"]').textContent()).toContain('closed · nodeCrashed');
    expect(served.pageErrors).toEqual([]);
  });
});
