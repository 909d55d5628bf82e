/**
 * The page's OpenVidu 3 model, from its own checked module run under Node on a real LiveKit run: the rooms view
 * (participants with their tracks, the recorder, the egress's statuses), the view kept up to date batch by batch
 * from the feed, and the explanations of the cases consumers trip on.
 */
import { LIVEKIT_EVENT_NAMES } from '../../src/model/livekit/webhook-event.js';
import { describe, expect, it } from 'vitest';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { LiveSimulation } from '../../src/server/live-simulation.js';
import type {
  LivekitBatchView,
  LivekitEventEntry,
  LivekitPageView,
  LivekitWorld,
} from '../../src/server/livekit-view-types.js';

interface RoomCard {
  room: LivekitWorld['rooms'][number];
  participants: {
    participant: LivekitWorld['participants'][number];
    tracks: LivekitWorld['tracks'];
    stateHelp: string;
  }[];
  egresses: LivekitWorld['egresses'];
  ingresses: LivekitWorld['ingresses'];
}
const lk = (await import(new URL('../../src/server/public/livekit-model.js', import.meta.url).href)) as {
  livekitStore: { view: LivekitPageView | null };
  setLivekit(v: LivekitPageView | undefined): void;
  addLivekitBatch(b: LivekitBatchView): void;
  roomCards(w: LivekitWorld): RoomCard[];
  trackWords(t: LivekitWorld['tracks'][number]): string;
  statusTrail(e: { statuses: readonly string[] }): string;
  explainLivekit(e: LivekitEventEntry): { short: string; long: string; notes: string[] };
  livekitDeliveryHelp(d: { ok: boolean; outcome: string }): string;
  LIVEKIT_EVENT_HELP: Record<string, { short: string; long: string }>;
};

const T0 = Date.parse('2024-01-01T00:00:00.000Z');

/** Plays a bundled scenario as OpenVidu 3 step by step, handing each cascade to the page model as the feed does. */
async function play(name: string): Promise<LiveSimulation> {
  const sim = new LiveSimulation(
    { server: 'openvidu3', seed: 1, start: T0, paused: true },
    await readScenario(name),
  );
  lk.setLivekit(sim.livekit());
  for (let b = sim.step(), n = 0; b && n < 1000; b = sim.step(), n++)
    if (b.livekit) lk.addLivekitBatch(b.livekit);
  return sim;
}

describe('the page model of an OpenVidu 3 run', () => {
  it('draws rooms with participants, tracks, the EGRESS recorder and the egress progression', async () => {
    const sim = await play('lk-recorder-participant');
    const view = lk.livekitStore.view!;
    // batch by batch, the page ends with the server's own view
    expect(view.world).toEqual(sim.livekit()!.world);
    expect(view.events.map((e) => e.seq)).toEqual(sim.livekit()!.events.map((e) => e.seq));

    const cards = lk.roomCards(view.world);
    expect(cards).toHaveLength(1);
    const [card] = cards;
    expect(card!.room).toMatchObject({ state: 'finished', numParticipants: 0 });
    expect(
      card!.participants.map((r) => [r.participant.identity, r.participant.kind, r.tracks.length]),
    ).toEqual([
      ['teacher', 'STANDARD', 2],
      ['pupil', 'STANDARD', 0],
      [expect.stringMatching(/^EG_/), 'EGRESS', 0],
    ]);
    expect(card!.participants[0]!.stateHelp).toContain('participant_left');
    const video = card!.participants[0]!.tracks.find((t) => t.type === 'VIDEO')!;
    expect(lk.trackWords(video)).toMatch(
      /^VIDEO CAMERA video\/\w+ · simulcast LOW 320x180, MEDIUM 640x360, HIGH 1280x720 · unpublished$/,
    );
    expect(card!.egresses).toHaveLength(1);
    expect(lk.statusTrail(card!.egresses[0]!)).toBe('STARTING → ACTIVE → ENDING → COMPLETE');
    sim.close();
  });

  it('shows an open room with the count its events carried, which lags behind who is inside', async () => {
    const scenario = await readScenario('lk-recorder-participant');
    const sim = new LiveSimulation({ server: 'openvidu3', seed: 1, start: T0, paused: true }, scenario);
    lk.setLivekit(sim.livekit());
    const active = () =>
      (lk.livekitStore.view?.world.participants ?? []).filter((p) => p.state === 'ACTIVE').length;
    for (let n = 0; active() < 3 && n < 50; n++) {
      const b = sim.step();
      if (b?.livekit) lk.addLivekitBatch(b.livekit);
    }
    const [card] = lk.roomCards(lk.livekitStore.view!.world);
    // LiveKit counts the recorder's own join after writing it: three are inside, the event says two.
    expect(card!.room).toMatchObject({ state: 'open', numParticipants: 2, numPublishers: 1 });
    expect(card!.participants.map((r) => [r.participant.kind, r.participant.state])).toEqual([
      ['STANDARD', 'ACTIVE'],
      ['STANDARD', 'ACTIVE'],
      ['EGRESS', 'ACTIVE'],
    ]);
    expect(card!.participants[0]!.stateHelp).toContain('ICE');
    expect(lk.statusTrail(card!.egresses[0]!)).toBe('STARTING → ACTIVE');
    sim.close();
  });

  it('explains every LiveKit event, and the cases consumers trip on where they happen', async () => {
    // Every event livekit-server emits (the two agent-job names have no emitter yet).
    for (const name of LIVEKIT_EVENT_NAMES.filter((n) => !n.startsWith('agent_job_')))
      expect(lk.LIVEKIT_EVENT_HELP[name]?.long.length ?? 0).toBeGreaterThan(40);

    const reconnect = await play('lk-fast-reconnect');
    const late = lk.livekitStore.view!.events.find((e) => e.event === 'participant_left')!;
    expect(lk.explainLivekit(late).notes.join(' ')).toContain('Fast reconnect');
    reconnect.close();

    const egress = await play('lk-egress-after-room');
    const events = lk.livekitStore.view!.events;
    const ended = events.find((e) => e.event === 'egress_ended')!;
    expect(events.findIndex((e) => e.event === 'room_finished')).toBeLessThan(events.indexOf(ended));
    expect(lk.explainLivekit(ended).notes.join(' ')).toContain('after room_finished');
    const started = events.find((e) => e.event === 'egress_started')!;
    expect(JSON.parse(started.body).egressInfo.status).toBeUndefined();
    expect(lk.explainLivekit(started).notes.join(' ')).toContain('EGRESS_STARTING');
    const roomEvents = events.filter(
      (e) => e.event.startsWith('participant_') || e.event.startsWith('track_'),
    );
    for (const e of roomEvents) expect(lk.explainLivekit(e).notes).toEqual([]);
    egress.close();

    const aborted = await play('lk-connection-aborted');
    const abort = lk.livekitStore.view!.events.find((e) => e.event === 'participant_connection_aborted')!;
    expect(lk.explainLivekit(abort).short).toContain('never connected');
    const who = lk.livekitStore.view!.world.participants.find(
      (p) => p.lastEvent === 'participant_connection_aborted',
    );
    expect(who).toBeDefined();
    aborted.close();

    expect(lk.livekitDeliveryHelp({ ok: false, outcome: '404' })).toContain('counts it as sent');
    expect(lk.livekitDeliveryHelp({ ok: false, outcome: 'dropped: age' })).toContain('never tells');
  });
});
