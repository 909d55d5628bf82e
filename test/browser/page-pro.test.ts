/**
 * The workshop page with OpenVidu Pro and Enterprise in real headless Chromium: the media node panel, node launch,
 * pinned sessions, a broadcast, a node crash and its cascade, a status PATCH offering only legal targets, and the
 * Enterprise master nodes after switching edition from the page.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OvsimServer } from '../../src/server/create-server.js';
import { CHROMIUM, haveChromium, openServedPage, type ServedPage } from './browser.js';

if (!haveChromium)
  console.warn(`test/browser/page-pro.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('the page with OpenVidu Pro in headless Chromium', () => {
  let server: OvsimServer;
  let page: Page;
  let url: string;
  let pageErrors: string[] = [];

  let served: ServedPage;

  beforeAll(async () => {
    served = await openServedPage(
      { seed: 11, start: Date.parse('2024-05-10T14:00:00Z'), edition: 'pro', speed: 10 },
      { width: 1440, height: 1100 },
    );
    ({ server, url, page } = served);
    pageErrors = served.pageErrors;
  }, 30_000);

  afterAll(async () => {
    await served?.close();
  });

  const node = (handle: string) => page.locator(`[data-node="${handle}"]`);
  const statusOf = (handle: string) => node(handle).getByTestId('node-status').textContent();
  const groupTypes = (hasText: string) =>
    page
      .locator('#log .group', { hasText })
      .first()
      .locator('.event')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));

  it('launches a node, pins a broadcasting session on it, crashes it and shows the cascade', async () => {
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#clock-status').textContent()).toBe('running');
    // The initial node boots at the start instant.
    await expect.poll(() => statusOf('node1')).toBe('running');
    await expect.poll(() => page.getByTestId('cluster').textContent()).toContain('1 of 1 node(s)');
    expect(await page.getByTestId('pro-hint').count()).toBe(0);
    expect(await page.locator('#scenario-select').inputValue()).toBe('@pro');

    // Launch: launching at once, running after its 5 s boot (0.5 s of wall time at 10×).
    await page.fill('[data-role="node-name"]', 'edge');
    await page.selectOption('[data-role="node-delay"]', '5s');
    // The panel is redrawn on every state change (here a speed change from elsewhere): a half-filled form survives.
    server.simulation.setSpeed(9);
    await expect.poll(() => page.locator('#speed').inputValue()).toBe('9');
    expect(await page.inputValue('[data-role="node-name"]')).toBe('edge');
    expect(await page.inputValue('[data-role="node-delay"]')).toBe('5s');
    server.simulation.setSpeed(10);
    await page.getByTestId('launch-node').click();
    await node('edge').waitFor();
    expect(await page.inputValue('[data-role="node-name"]')).toBe('');
    await expect.poll(() => statusOf('edge')).toBe('running');
    expect(await groupTypes('media node edge was launched')).toEqual(['mediaNodeStatusChanged']);

    // A session pinned on the new node, someone publishing, a broadcast.
    await page.fill('#create-handle', 'demo');
    await page.selectOption('#create-node', 'edge');
    await page.click('#btn-create');
    const session = page.locator('[data-session="demo"]');
    await session.waitFor();
    await session.locator('[data-role="join-name"]').fill('alice');
    await session.getByTestId('join').click();
    await session.locator('[data-participant="alice"]').getByTestId('publish').click();
    await session.getByText('OUTBOUND · publishing CAMERA').waitFor();
    await expect.poll(() => session.getByTestId('session-node').textContent()).toBe('on edge');
    await expect.poll(() => node('edge').textContent()).toContain('demo');
    await session.getByTestId('start-broadcast').click();
    await session.getByTestId('broadcasting').waitFor();
    const load = Number.parseFloat((await node('edge').getByTestId('node-load').textContent()) ?? '0');
    expect(load).toBeGreaterThan(
      Number.parseFloat((await node('node1').getByTestId('node-load').textContent()) ?? '0'),
    );

    // Crash: after OpenVidu's 3 s of silent retries, nodeCrashed and the session closed with reason nodeCrashed.
    await node('edge').getByTestId('crash-node').click();
    await node('edge').getByTestId('node-crashed').waitFor();
    await session.getByText('closed · nodeCrashed').waitFor();
    const crash = await groupTypes('edge did not answer for 3 s: OpenVidu declared it crashed');
    expect(crash[0]).toBe('nodeCrashed');
    expect(crash.at(-1)).toBe('sessionDestroyed');
    expect(crash).toEqual(
      expect.arrayContaining(['participantLeft', 'broadcastStopped', 'webrtcConnectionDestroyed']),
    );
    expect(crash.indexOf('participantLeft')).toBeLessThan(crash.indexOf('sessionDestroyed'));
    await expect.poll(() => node('edge').textContent()).toContain('no session');

    // PATCH offers only OpenVidu's targets for a running node; draining an idle node terminates it.
    const options = await node('node1')
      .getByTestId('node-patch')
      .locator('option')
      .evaluateAll((els) => els.map((e) => e.getAttribute('value')).filter(Boolean));
    expect(options).toEqual(['waiting-idle-to-terminate', 'terminating']);
    await node('node1').getByTestId('node-patch').selectOption('waiting-idle-to-terminate');
    await expect.poll(() => statusOf('node1')).toBe('terminated');
    expect(await groupTypes('media node node1 was set to waiting-idle-to-terminate')).toEqual([
      'mediaNodeStatusChanged',
      'mediaNodeStatusChanged',
      'mediaNodeStatusChanged',
    ]);
    expect(await node('node1').getByTestId('crash-node').count()).toBe(0);

    // The event detail explains the Pro event, and the page matches the server.
    await page.locator('#log .event[data-type="nodeCrashed"] .event-head').first().click();
    await expect
      .poll(() => page.locator('#log .detail').first().textContent())
      .toContain('retries silently for 3 s');
    const edge = server.simulation.state().snapshot.mediaNodes.find((n) => n.handle === 'edge');
    expect(edge).toMatchObject({ status: 'running', crashed: true, sessions: [] });

    // The timeline draws the nodes as lanes, and every event of the run as one mark (node events included).
    expect(await page.locator('[data-region="timeline"] [data-lane="n:' + edge!.id + '"]').count()).toBe(2);
    const marks = await page
      .locator('[data-region="timeline"] [data-event-index]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-event-index'))).sort((a, b) => a - b));
    const seqs = server.simulation.log.page(0, 1000).events.map((e) => e.seq);
    expect(marks).toEqual(seqs);
    expect(await page.locator('[data-region="timeline"] .mark[data-type="nodeCrashed"]').count()).toBe(1);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/page-pro.png', fullPage: false });
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('switches to an empty Enterprise world from the page and registers and deregisters master nodes', async () => {
    await page.selectOption('#scenario-select', '@enterprise');
    await page.click('#btn-load');
    await expect.poll(() => page.locator('#scenario-name').textContent()).toContain('ENTERPRISE');
    await page.click('#btn-resume');
    await expect.poll(() => statusOf('node2')).toBe('running');
    await page.fill('[data-role="master-name"]', 'm1');
    await page.fill('[data-role="master-ip"]', '10.5.0.6');
    await page.getByTestId('register-master').click();
    const master = page.locator('[data-master="m1"]');
    await master.waitFor();
    expect(await master.textContent()).toContain('master_10.5.0.6');
    await master.getByTestId('master-reason').selectOption('nodeCrashed');
    await master.getByTestId('deregister-master').click();
    await master.waitFor({ state: 'detached' });
    const types = await page
      .locator('#log .event')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types).toEqual(expect.arrayContaining(['HANodeRegistered', 'HANodeDeregistered']));
    const last = server.simulation.log.page(0, 1000).events.filter((e) => e.name === 'HANodeDeregistered');
    expect(last[0]?.cdr).toContain('"reason":"nodeCrashed"');
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
