import { describe, expect, it } from 'vitest';
import { ActionRefused } from '../../src/engine/engine.js';
import { Harness, T0, nameIds } from './harness.js';

/** Two publishers subscribed to each other: the common starting point of spec §4. */
function meeting(
  options: ConstructorParameters<typeof Harness>[0] = {},
  mode: 'MANUAL' | 'ALWAYS' = 'MANUAL',
) {
  const h = new Harness(options)
    .at(0, 'createSession', {
      session: 's',
      recordingMode: mode,
      defaultRecording: { outputMode: 'INDIVIDUAL' },
    })
    .at(1000, 'join', { session: 's', participant: 'a' })
    .at(1500, 'publish', { participant: 'a' })
    .at(3000, 'join', { session: 's', participant: 'b' })
    .at(4000, 'publish', { participant: 'b' });
  nameIds(h);
  return h;
}

describe('§4.1 create, join, publish', () => {
  it('logs OUTBOUND before the INBOUNDs it feeds, and the late joiner subscribes at once', () => {
    const h = meeting();
    expect(h.trace()).toEqual([
      'sessionCreated',
      'participantJoined:a',
      'webrtcConnectionCreated:OUTBOUND(a)',
      'participantJoined:b',
      'webrtcConnectionCreated:INBOUND(b<-a)',
      'webrtcConnectionCreated:OUTBOUND(b)',
      'webrtcConnectionCreated:INBOUND(a<-b)',
    ]);
  });

  it('starts an ALWAYS recording after the first publisher, as SESSION then SESSION~1', () => {
    const h = meeting({}, 'ALWAYS');
    expect(h.trace().slice(0, 4)).toEqual([
      'sessionCreated',
      'participantJoined:a',
      'webrtcConnectionCreated:OUTBOUND(a)',
      'recordingStatusChanged:started',
    ]);
    const started = h.events[3]!.data as Record<string, unknown>;
    expect(started.id).toBe(started.sessionId);
    expect(started.timestamp).toBe(started.startTime);
    h.clear().at(10_000, 'stopRecording', { recording: 's.recording0' }).wait(5000);
    h.clear().at(20_000, 'startRecording', { session: 's', recording: 'r2', outputMode: 'INDIVIDUAL' });
    expect((h.events[0]!.data as Record<string, unknown>).id).toBe(`${started.sessionId}~1`);
  });
});

describe('§4.2 leave, force disconnect, network disconnect', () => {
  it.each([
    ['leave', 'disconnect'],
    ['networkDisconnect', 'networkDisconnect'],
    ['forceDisconnect user', 'forceDisconnectByUser'],
    ['forceDisconnect server', 'forceDisconnectByServer'],
  ])('%s: others’ INBOUND from P, P’s INBOUNDs, P’s OUTBOUND, participantLeft (%s)', (how, reason) => {
    const h = meeting().clear();
    if (how === 'leave') h.at(10_000, 'leave', { participant: 'a' });
    else if (how === 'networkDisconnect')
      h.at(10_000, 'leave', { participant: 'a', reason: 'networkDisconnect' });
    else h.at(10_000, 'forceDisconnect', { participant: 'a', by: how.endsWith('user') ? 'user' : 'server' });
    expect(h.trace()).toEqual([
      `webrtcConnectionDestroyed:INBOUND(b<-a):${reason}`,
      `webrtcConnectionDestroyed:INBOUND(a<-b):${reason}`,
      `webrtcConnectionDestroyed:OUTBOUND(a):${reason}`,
      `participantLeft:a:${reason}`,
    ]);
  });
});

describe('§4.3 unpublish, force unpublish, unsubscribe', () => {
  it.each([
    ['unpublish', 'unpublish'],
    ['user', 'forceUnpublishByUser'],
    ['server', 'forceUnpublishByServer'],
  ] as const)('%s: OUTBOUND first, then the subscribers’ INBOUNDs', (how, reason) => {
    const h = meeting().clear();
    if (how === 'unpublish') h.at(10_000, 'unpublish', { participant: 'a' });
    else h.at(10_000, 'forceUnpublish', { participant: 'a', by: how });
    expect(h.trace()).toEqual([
      `webrtcConnectionDestroyed:OUTBOUND(a):${reason}`,
      `webrtcConnectionDestroyed:INBOUND(b<-a):${reason}`,
    ]);
  });

  it('unsubscribe destroys one INBOUND', () => {
    const h = meeting().clear().at(10_000, 'unsubscribe', { participant: 'b', to: 'a' });
    expect(h.trace()).toEqual(['webrtcConnectionDestroyed:INBOUND(b<-a):unsubscribe']);
  });
});

describe('§4.4 last participant leaves', () => {
  it('without a recording: sessionDestroyed lastParticipantLeft right after participantLeft', () => {
    const h = meeting()
      .at(10_000, 'leave', { participant: 'a' })
      .clear()
      .at(12_000, 'leave', { participant: 'b', reason: 'networkDisconnect' });
    expect(h.trace()).toEqual([
      'webrtcConnectionDestroyed:OUTBOUND(b):networkDisconnect',
      'participantLeft:b:networkDisconnect',
      'sessionDestroyed:lastParticipantLeft',
    ]);
  });

  it('with a recording: the auto-stop countdown, then stopped → ready → sessionDestroyed (automaticStop)', () => {
    const h = meeting({ recordingAutostopTimeout: 30 })
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .at(10_000, 'leave', { participant: 'a' })
      .at(11_000, 'leave', { participant: 'b' })
      .clear();
    const leftAt = h.engine.now;
    h.wait(29_000);
    expect(h.events).toEqual([]);
    h.wait(10_000);
    expect(h.trace()).toEqual([
      'recordingStatusChanged:stopped:automaticStop',
      'recordingStatusChanged:ready:automaticStop',
      'sessionDestroyed:automaticStop',
    ]);
    expect(h.events[0]!.data.timestamp - leftAt).toBe(30_000);
  });

  it('with a recording and a timeout of 0: stopped → ready → sessionDestroyed at once (lastParticipantLeft)', () => {
    const h = meeting({ recordingAutostopTimeout: 0 })
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .at(10_000, 'leave', { participant: 'a' })
      .clear()
      .at(11_000, 'leave', { participant: 'b' });
    expect(h.trace()).toEqual([
      'webrtcConnectionDestroyed:OUTBOUND(b):disconnect',
      'participantLeft:b:disconnect',
      'recordingStatusChanged:stopped:lastParticipantLeft',
      'recordingStatusChanged:ready:lastParticipantLeft',
      'sessionDestroyed:lastParticipantLeft',
    ]);
  });

  it('a publisher coming back before expiry aborts the countdown', () => {
    const h = meeting({ recordingAutostopTimeout: 30 })
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .at(10_000, 'unpublish', { participant: 'a' })
      .at(11_000, 'unpublish', { participant: 'b' })
      .at(20_000, 'publish', { participant: 'a' })
      .clear()
      .wait(120_000);
    expect(h.events).toEqual([]);
  });

  it('participants connected but nobody publishing at expiry: only the recording stops', () => {
    const h = meeting({ recordingAutostopTimeout: 30 })
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .at(10_000, 'unpublish', { participant: 'a' })
      .at(11_000, 'unpublish', { participant: 'b' })
      .clear()
      .wait(60_000);
    expect(h.trace()).toEqual([
      'recordingStatusChanged:stopped:automaticStop',
      'recordingStatusChanged:ready:automaticStop',
    ]);
  });
});

describe('§4.5 session closed by the server', () => {
  it('evicts everyone, stops the recording, then destroys the session', () => {
    const h = meeting()
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .clear()
      .at(20_000, 'closeSession', { session: 's' });
    const r = 'sessionClosedByServer';
    expect(h.trace()).toEqual([
      `webrtcConnectionDestroyed:INBOUND(b<-a):${r}`,
      `webrtcConnectionDestroyed:INBOUND(a<-b):${r}`,
      `webrtcConnectionDestroyed:OUTBOUND(a):${r}`,
      `participantLeft:a:${r}`,
      `webrtcConnectionDestroyed:OUTBOUND(b):${r}`,
      `participantLeft:b:${r}`,
      `recordingStatusChanged:stopped:${r}`,
      `recordingStatusChanged:ready:${r}`,
      `sessionDestroyed:${r}`,
    ]);
    const stopped = h.events[6]!.data as Record<string, unknown>;
    const ready = h.events[7]!.data as Record<string, unknown>;
    expect([stopped.size, stopped.duration]).toEqual([0, 0]);
    expect(ready.size).toBeGreaterThan(0);
    expect(ready.duration).toBeGreaterThan(0);
  });

  it('a never-joined session gives only sessionDestroyed', () => {
    const h = new Harness()
      .at(0, 'createSession', { session: 's' })
      .clear()
      .at(5000, 'closeSession', { session: 's' });
    expect(h.trace()).toEqual(['sessionDestroyed:sessionClosedByServer']);
  });

  it('COMPOSED_QUICK_START closed while starting: stopped then failed, never started (§4.10)', () => {
    const h = meeting().at(5000, 'startRecording', {
      session: 's',
      recording: 'r',
      outputMode: 'COMPOSED_QUICK_START',
    });
    h.clear().at(5100, 'closeSession', { session: 's' });
    expect(h.trace().filter((t) => t.startsWith('recording'))).toEqual([
      'recordingStatusChanged:stopped:sessionClosedByServer',
      'recordingStatusChanged:failed:sessionClosedByServer',
    ]);
  });
});

describe('§4.6 recording stopped by the server', () => {
  it('stopped → ready with recordingStoppedByServer; the session lives on', () => {
    const h = meeting().at(5000, 'startRecording', {
      session: 's',
      recording: 'r',
      outputMode: 'INDIVIDUAL',
    });
    h.clear().at(20_000, 'stopRecording', { recording: 'r' }).wait(10_000);
    expect(h.trace()).toEqual([
      'recordingStatusChanged:stopped:recordingStoppedByServer',
      'recordingStatusChanged:ready:recordingStoppedByServer',
    ]);
  });

  it('during the countdown of an empty session: the session closes with recordingStoppedByServer', () => {
    const h = meeting()
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .at(10_000, 'leave', { participant: 'a' })
      .at(11_000, 'leave', { participant: 'b' })
      .clear()
      .at(20_000, 'stopRecording', { recording: 'r' });
    expect(h.trace()).toEqual([
      'recordingStatusChanged:stopped:recordingStoppedByServer',
      'recordingStatusChanged:ready:recordingStoppedByServer',
      'sessionDestroyed:recordingStoppedByServer',
    ]);
  });

  it('refuses to stop a recording twice, or while it is starting', () => {
    const h = meeting().at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'COMPOSED' });
    expect(() => h.at(5100, 'stopRecording', { recording: 'r' })).toThrow(/still starting/);
    h.at(10_000, 'stopRecording', { recording: 'r' });
    expect(() => h.at(11_000, 'stopRecording', { recording: 'r' })).toThrow(ActionRefused);
  });

  it('refuses without a stack trace (a generated run meets thousands), and leaves the stack limit as it was', () => {
    const h = meeting();
    const limit = Error.stackTraceLimit;
    let refused: unknown;
    try {
      h.at(5000, 'stopRecording', { recording: 'none' });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ActionRefused);
    const e = refused as ActionRefused;
    expect(e.message).toMatch(/none/);
    expect(e.stack).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
    // Other errors keep their stacks.
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });
});

describe('§4.7 server shutdown', () => {
  it('closes every active session with openviduServerStopped, ignores never-joined ones, refuses later actions', () => {
    const h = meeting()
      .at(4500, 'createSession', { session: 'idle' })
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .clear()
      .at(20_000, 'stopServer', {});
    const t = h.trace();
    expect(t.filter((x) => x.startsWith('participantLeft'))).toEqual([
      'participantLeft:a:openviduServerStopped',
      'participantLeft:b:openviduServerStopped',
    ]);
    expect(t.slice(-3)).toEqual([
      'recordingStatusChanged:stopped:openviduServerStopped',
      'recordingStatusChanged:ready:openviduServerStopped',
      'sessionDestroyed:openviduServerStopped',
    ]);
    expect(t.filter((x) => x.startsWith('sessionDestroyed'))).toHaveLength(1);
    expect(() => h.at(21_000, 'createSession', { session: 'late' })).toThrow(/stopped/);
  });
});

describe('§4.8 media server reconnect and crash (CE)', () => {
  it('reconnect: recording stopped → ready, each participant’s INBOUNDs then OUTBOUND; no one leaves', () => {
    const h = meeting()
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .clear()
      .at(20_000, 'mediaServerReconnect', {});
    const r = 'mediaServerReconnect';
    expect(h.trace()).toEqual([
      `recordingStatusChanged:stopped:${r}`,
      `recordingStatusChanged:ready:${r}`,
      `webrtcConnectionDestroyed:INBOUND(a<-b):${r}`,
      `webrtcConnectionDestroyed:OUTBOUND(a):${r}`,
      `webrtcConnectionDestroyed:INBOUND(b<-a):${r}`,
      `webrtcConnectionDestroyed:OUTBOUND(b):${r}`,
    ]);
    // Clients re-publish afterwards.
    h.clear().at(25_000, 'publish', { participant: 'a' });
    expect(h.trace()).toEqual([
      'webrtcConnectionCreated:OUTBOUND(a)',
      'webrtcConnectionCreated:INBOUND(b<-a)',
    ]);
  });

  it('crash: every session closed with nodeCrashed, recording stopped → ready, then sessionDestroyed', () => {
    const h = meeting()
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .clear()
      .at(20_000, 'mediaServerCrash', {});
    const t = h.trace();
    expect(t.filter((x) => x.startsWith('webrtcConnectionDestroyed'))).toHaveLength(4);
    expect(t.filter((x) => x.startsWith('participantLeft'))).toEqual([
      'participantLeft:a:nodeCrashed',
      'participantLeft:b:nodeCrashed',
    ]);
    expect(t.slice(-3)).toEqual([
      'recordingStatusChanged:stopped:nodeCrashed',
      'recordingStatusChanged:ready:nodeCrashed',
      'sessionDestroyed:nodeCrashed',
    ]);
  });
});

describe('§4.9 IP cameras', () => {
  it('joins and publishes at once; keeps the session alive; its removal closes it as lastParticipantLeft', () => {
    const h = new Harness()
      .at(0, 'createSession', { session: 's' })
      .at(1000, 'join', { session: 's', participant: 'cam', type: 'IPCAM', rtspUri: 'rtsp://dummyurl.com' })
      .at(2000, 'join', { session: 's', participant: 'u' });
    nameIds(h);
    expect(h.trace()).toEqual([
      'sessionCreated',
      'participantJoined:cam',
      'webrtcConnectionCreated:OUTBOUND(cam)',
      'participantJoined:u',
      'webrtcConnectionCreated:INBOUND(u<-cam)',
    ]);
    const joined = h.events[1]!.data as Record<string, unknown>;
    expect(joined.platform).toBe('IPCAM');
    expect(joined.ip).toBeNull();
    expect(joined.connectionId).toMatch(/^ipc_IPCAM_rtsp_[0-9A-Z]{4}_dummyurl_com$/);
    const outbound = h.events[2]!.data as Record<string, unknown>;
    expect(outbound).toMatchObject({
      rtspUri: 'rtsp://dummyurl.com',
      networkCache: 2000,
      videoSource: 'IPCAM',
      videoFramerate: null,
    });
    h.clear().at(3000, 'leave', { participant: 'u' });
    expect(h.trace().at(-1)).toBe('participantLeft:u:disconnect');
    expect(() => h.at(4000, 'forceUnpublish', { participant: 'cam', by: 'server' })).toThrow(
      expect.objectContaining({ reason: 'ipcam-cannot-unpublish' }),
    );
    h.clear().at(5000, 'forceDisconnect', { participant: 'cam', by: 'server' });
    expect(h.trace()).toEqual([
      'webrtcConnectionDestroyed:OUTBOUND(cam):forceDisconnectByServer',
      'participantLeft:cam:forceDisconnectByServer',
      'sessionDestroyed:lastParticipantLeft',
    ]);
  });
});

describe('signals and filters', () => {
  it('sends to everyone (and the RECORDER of a composed recording) in Java HashSet order', () => {
    const h = meeting()
      .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'COMPOSED' })
      .wait(5000)
      .clear()
      .at(20_000, 'signal', { session: 's', from: 'a', type: 'chat', data: 'hi' })
      .at(21_000, 'signal', { session: 's', to: ['b'] });
    const client = h.events[0]!.data as Record<string, unknown>;
    expect(client.to).toHaveLength(3);
    expect(client.to).toContain('RECORDER');
    expect(client.type).toBe('chat');
    const server = h.events[1]!.data as Record<string, unknown>;
    expect(server.from).toBeNull();
    expect(server.type).toBeNull();
    expect(server.data).toBeNull();
  });

  it('refuses a filter event on a participant who does not publish', () => {
    const h = new Harness()
      .at(0, 'createSession', { session: 's' })
      .at(1, 'join', { session: 's', participant: 'x' });
    expect(() => h.at(2, 'filterEvent', { participant: 'x' })).toThrow(/no published stream/);
  });
});

describe('refusals change nothing', () => {
  it('publishing twice is refused and the world is as before', () => {
    const h = meeting();
    const before = JSON.stringify(h.engine.snapshot());
    expect(() => h.at(5000, 'publish', { participant: 'a' })).toThrow(/already publishing/);
    expect(JSON.stringify(h.engine.snapshot())).toBe(before.replace(/"now":\d+/, `"now":${h.engine.now}`));
  });

  it('joining a closed session names it', () => {
    const h = new Harness().at(0, 'createSession', { session: 's' }).at(1, 'closeSession', { session: 's' });
    expect(() => h.at(2, 'join', { session: 's', participant: 'p' })).toThrow(
      /session "s" is gone: session closed/,
    );
  });
});

describe('a media server restart during the auto-stop countdown of an empty session', () => {
  it('stops the recording at once and still closes the session when the countdown ends', () => {
    const h = new Harness({ recordingAutostopTimeout: 60 })
      .at(0, 'createSession', { session: 's' })
      .at(1000, 'join', { session: 's', participant: 'a' })
      .at(2000, 'publish', { participant: 'a' })
      .at(3000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
      .at(10_000, 'leave', { participant: 'a' })
      .clear()
      .at(20_000, 'mediaServerReconnect', {})
      .wait(120_000);
    expect(h.trace()).toEqual([
      'recordingStatusChanged:stopped:mediaServerReconnect',
      'recordingStatusChanged:ready:mediaServerReconnect',
      'sessionDestroyed:automaticStop',
    ]);
    expect(h.events[2]!.data.timestamp - T0).toBe(70_000);
  });
});
