/**
 * What the page's "take home" and story rely on in the control API: the run's CDR file and WebHook JSON Lines are
 * the exact bytes `ovsim generate` writes for the same scenario, seed and start; a seek steps a freshly loaded world
 * to an event; the world projection travels in the feed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/runtime/generate.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { memorySink } from '../memory-sink.js';
import { AUTH, openFeed, startServer, until, type Running } from './helpers.js';

const START = '2024-05-10T14:00:00.000Z';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function generated(name: string, format: 'cdr' | 'webhook'): Promise<string> {
  const scenario = await readScenario(name);
  const sink = memorySink();
  await generateScenario(
    scenario,
    resolveSettings(scenario, { seed: '7', start: Date.parse(START) }),
    format,
    sink,
  );
  return sink.text();
}

async function download(url: string, format: string) {
  const r = await fetch(`${url}/api/download/${format}`, { headers: { authorization: AUTH } });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

describe('the control API behind the page', () => {
  it('downloads the run as the CDR file and WebHook JSON Lines ovsim generate writes, byte for byte', async () => {
    running = await startServer();
    const { call, url } = running;
    const load = await call('POST', `/api/scenarios/default/load?seed=7&start=${START}`);
    expect(load.status).toBe(200);
    // Half way: what was shown so far is a prefix of the whole run.
    const half = await call('POST', '/api/seek', { event: 30 });
    expect(half.body.log.newest).toBeGreaterThanOrEqual(30);
    const cdrHalf = await download(url, 'cdr');
    const whole = await generated('default', 'cdr');
    expect(whole.startsWith(cdrHalf.text)).toBe(true);
    expect(cdrHalf.text.split('\n')).toHaveLength(half.body.log.newest + 1);

    const end = await call('POST', '/api/seek', { event: 100_000 });
    expect(end.body.nextAt).toBeNull();
    const cdr = await download(url, 'cdr');
    expect(cdr.status).toBe(200);
    expect(cdr.text).toBe(whole);
    expect(cdr.headers.get('content-disposition')).toBe('attachment; filename="default-seed7.cdr.log"');
    expect(cdr.headers.get('x-ovsim-events')).toBe(`1-${end.body.log.newest}`);
    const hooks = await download(url, 'webhook');
    expect(hooks.text).toBe(await generated('default', 'webhook'));
    expect(hooks.headers.get('content-type')).toContain('application/x-ndjson');

    expect((await download(url, 'csv')).status).toBe(404);
    expect((await call('POST', '/api/seek', { event: -1 })).status).toBe(400);
    expect((await call('POST', '/api/seek', { event: 'x' })).body.error.message).toContain(
      'event: an integer',
    );
  });

  it('sends the world projection in the hello, with each cascade and after a reset', async () => {
    running = await startServer();
    const { call, url, act } = running;
    await act('createSession', { session: 's1' });
    await act('join', { session: 's1', participant: 'ann' });
    const feed = await openFeed(url);
    const hello = await until(() => feed.messages.find((m) => m.type === 'hello'));
    expect(hello.world.reset).toBe(true);
    expect(hello.world.participants.map((p: { handle: string }) => p.handle)).toEqual(['ann']);
    const answer = await act('leave', { participant: 'ann', reason: 'networkDisconnect' });
    expect(answer.body.batch.world.participants).toMatchObject([
      { handle: 'ann', reason: 'networkDisconnect' },
    ]);
    const batch = await until(() => feed.messages.find((m) => m.type === 'batch'));
    expect(batch.batch.world).toEqual(answer.body.batch.world);
    expect((await call('GET', '/api/world')).body.sessions).toMatchObject([
      { handle: 's1', reason: 'lastParticipantLeft' },
    ]);
    await call('POST', '/api/reset');
    const reset = await until(() => feed.messages.find((m) => m.type === 'reset'));
    expect(reset.world).toMatchObject({ reset: true, sessions: [], participants: [] });
    feed.ws.close();
  });
});
