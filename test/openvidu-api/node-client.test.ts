/**
 * The real openvidu-node-client (from npm) against the fake OpenVidu: an application's whole flow, the library's view
 * of it, and the CDR/WebHook events it caused, checked by the independent validator.
 */
import {
  OpenVidu,
  OpenViduRole,
  Recording,
  RecordingMode,
  type Connection,
  type Session,
} from 'openvidu-node-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseClientPolicy } from '../../src/server/openvidu-api/index.js';
import { SECRET, names, startFake, until, validationErrors, type FakeOpenvidu } from './helpers.js';

let fake: FakeOpenvidu | undefined;
beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined); // the library logs every call
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fake?.close();
  fake = undefined;
});

const count = (list: readonly string[], name: string) => list.filter((n) => n === name).length;

/** Clients join 1 s (virtual) after their connection is made and publish 0.5 s later; 200× speed. */
const FAST = parseClientPolicy({ join: '1s', publishAfter: '500ms' }, 'test');

async function bothPublishing(session: Session): Promise<boolean> {
  await session.fetch();
  const active = session.activeConnections;
  return active.length === 2 && active.every((c) => c.publishers.length === 1 && c.subscribers.length === 1);
}

describe('openvidu-node-client against ovsim', () => {
  it('drives a whole flow and gets the events OpenVidu would send', async () => {
    fake = await startFake({}, { clientPolicy: FAST });
    const ov = new OpenVidu(fake.url, SECRET);

    const session = await ov.createSession({
      customSessionId: 'TestSession',
      recordingMode: RecordingMode.MANUAL,
    });
    expect(session.sessionId).toBe('TestSession');
    expect(session.createdAt).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00.000Z')); // virtual time

    const alice = await session.createConnection({ role: OpenViduRole.PUBLISHER, data: 'alice' });
    const bob = await session.createConnection({ role: OpenViduRole.MODERATOR, data: 'bob' });
    expect(alice.status).toBe('pending');
    expect(alice.connectionId).toMatch(/^con_[A-Z][A-Za-z0-9]{9}$/);
    expect(alice.token).toMatch(
      /^wss:\/\/127\.0\.0\.1:\d+\?sessionId=TestSession&token=tok_[A-Z][A-Za-z0-9]{15}$/,
    );
    expect(alice.connectionProperties.data).toBe('alice');
    expect(bob.connectionProperties.role).toBe('MODERATOR');

    // The simulated browsers take the tokens, join and publish; auto-subscription makes each receive the other.
    await until(() => bothPublishing(session), 8000);
    const byData = (d: string) => session.activeConnections.find((c) => c.serverData === d) as Connection;
    const a = byData('alice');
    const b = byData('bob');
    expect(a.connectionId).toBe(alice.connectionId);
    expect(a.status).toBe('active');
    expect(a.activeAt).toBeGreaterThan(a.createdAt);
    expect(typeof a.platform).toBe('string');
    expect(b.role).toBe('MODERATOR');
    const aStream = a.publishers[0]?.streamId ?? '';
    const bStream = b.publishers[0]?.streamId ?? '';
    expect(aStream).toMatch(new RegExp(`^str_CAM_[A-Z][A-Za-z0-9]{3}_${a.connectionId}$`));
    expect(a.publishers[0]?.typeOfVideo).toBe('CAMERA');
    expect(a.subscribers).toEqual([bStream]);
    expect(b.subscribers).toEqual([aStream]);

    // ov.fetch sees the same world.
    await ov.fetch();
    expect(ov.activeSessions.map((s) => s.sessionId)).toEqual(['TestSession']);

    const recording = await ov.startRecording('TestSession', {
      name: 'meeting',
      outputMode: Recording.OutputMode.COMPOSED,
    });
    expect(recording.id).toBe('TestSession');
    expect(recording.status).toBe('started');
    expect(recording.properties.name).toBe('meeting');
    await session.fetch();
    expect(session.recording).toBe(true);

    // The node client has no signal method: plain REST, as applications do.
    const signal = await fake.call('POST', '/openvidu/api/signal', {
      session: 'TestSession',
      to: [a.connectionId],
      type: 'chat',
      data: 'hello',
    });
    expect(signal.status).toBe(200);

    const stopped = await ov.stopRecording(recording.id);
    expect(stopped.status).toBe('ready'); // CE answers once processed
    expect(stopped.size).toBeGreaterThan(0);
    expect(stopped.duration).toBeGreaterThan(0);
    expect((await ov.listRecordings()).map((r) => [r.id, r.status])).toEqual([['TestSession', 'ready']]);

    await session.forceUnpublish(b.publishers[0]!);
    await session.fetch();
    expect(byData('bob').publishers).toEqual([]);
    expect(byData('alice').subscribers).toEqual([]);

    await session.forceDisconnect(a);
    await session.fetch();
    expect(session.activeConnections.map((c) => c.serverData)).toEqual(['bob']);

    await session.close();
    await expect(ov.getRecording('nope')).rejects.toThrow('404');
    await ov.fetch();
    expect(ov.activeSessions).toEqual([]);

    const events = names(fake.entries);
    expect(count(events, 'sessionCreated')).toBe(1);
    expect(count(events, 'participantJoined')).toBe(2);
    expect(count(events, 'webrtcConnectionCreated')).toBe(4);
    expect(count(events, 'recordingStatusChanged')).toBe(3);
    expect(count(events, 'signalSent')).toBe(1);
    expect(count(events, 'webrtcConnectionDestroyed')).toBe(4);
    expect(count(events, 'participantLeft')).toBe(2);
    expect(events.at(-1)).toBe('sessionDestroyed');
    const bodies = fake.entries.map((e) => JSON.parse(e.webhook ?? '{}') as Record<string, unknown>);
    const reasons = bodies.filter((x) => x['event'] === 'participantLeft').map((x) => x['reason']);
    expect(reasons).toEqual(['forceDisconnectByServer', 'sessionClosedByServer']);
    const unpublished = bodies.filter((x) => x['reason'] === 'forceUnpublishByServer');
    expect(unpublished.map((x) => x['connection'])).toEqual(['OUTBOUND', 'INBOUND']);
    const joined = bodies.find(
      (x) => x['event'] === 'participantJoined' && x['connectionId'] === alice.connectionId,
    );
    expect(joined?.['serverData']).toBe('alice');
    const sig = bodies.find((x) => x['event'] === 'signalSent');
    expect(sig).toMatchObject({ from: null, to: [alice.connectionId], type: 'chat', data: 'hello' });
    expect(bodies.at(-1)).toMatchObject({ event: 'sessionDestroyed', reason: 'sessionClosedByServer' });

    expect(validationErrors(fake.entries, 'webhook')).toEqual([]);
    expect(validationErrors(fake.entries, 'cdr')).toEqual([]);
  }, 20_000);

  it('lets a pending connection be deleted without any event, and an IP camera join at once', async () => {
    fake = await startFake({}, { clientPolicy: parseClientPolicy('manual', 'test') });
    const ov = new OpenVidu(fake.url, SECRET);
    const session = await ov.createSession();
    expect(session.sessionId).toMatch(/^ses_[A-Z][A-Za-z0-9]{9}$/);
    const pending = await session.createConnection({ data: 'never-comes' });
    await session.fetch();
    expect(session.connections.map((c) => c.status)).toEqual(['pending']);
    await session.forceDisconnect(pending);
    await session.fetch();
    expect(session.connections).toEqual([]);
    expect(names(fake.entries)).toEqual(['sessionCreated']);

    const cam = await session.createConnection({
      type: 'IPCAM',
      rtspUri: 'rtsp://10.0.0.7:554/live',
      data: 'door',
    } as never);
    expect(cam.status).toBe('active');
    expect(cam.connectionId).toMatch(/^ipc_IPCAM_rtsp_[A-Z0-9]{4}_10_0_0_7_554_live$/);
    expect(cam.platform).toBe('IPCAM');
    expect(cam.publishers[0]?.typeOfVideo).toBe('IPCAM');
    // Its stream cannot be unpublished alone (405): the library rejects with the status.
    await expect(session.forceUnpublish(cam.publishers[0]!.streamId)).rejects.toThrow('405');
    await session.forceDisconnect(cam);
    expect(names(fake.entries)).toEqual([
      'sessionCreated',
      'participantJoined',
      'webrtcConnectionCreated',
      'webrtcConnectionDestroyed',
      'participantLeft',
      'sessionDestroyed',
    ]);
    expect(validationErrors(fake.entries, 'webhook')).toEqual([]);
  });
});
