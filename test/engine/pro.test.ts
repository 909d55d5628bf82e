import { describe, expect, it } from 'vitest';
import { JavaConcurrentHashMapKeys } from '../../src/model/java.js';
import { Harness, nameIds } from './harness.js';

type Data = Record<string, unknown>;
const statusTrace = (h: Harness) =>
  h.events.map((e) => {
    const d = e.data as Data;
    if (e.name === 'mediaNodeStatusChanged') return `node:${String(d.oldStatus)}->${String(d.newStatus)}`;
    return [e.name, d.status, d.reason].filter((x) => typeof x === 'string').join(':');
  });

function proMeeting(cluster = {}) {
  const h = new Harness({ edition: 'pro', cluster: { mediaNodes: ['n1', 'n2'], ...cluster } })
    .at(0, 'createSession', { session: 's', mediaNode: 'n1' })
    .at(1000, 'join', { session: 's', participant: 'a' })
    .at(1500, 'publish', { participant: 'a' })
    .at(3000, 'join', { session: 's', participant: 'b' })
    .at(4000, 'publish', { participant: 'b' })
    .at(5000, 'startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' })
    .at(6000, 'startBroadcast', { session: 's' });
  nameIds(h);
  return h;
}

describe('Pro cluster boot and placement', () => {
  it('boots the initial nodes launching → running at the start instant, with AWS-like ids', () => {
    const h = proMeeting();
    expect(statusTrace(h).slice(0, 4)).toEqual([
      'node:null->launching',
      'node:launching->running',
      'node:null->launching',
      'node:launching->running',
    ]);
    const first = h.events[0]!.data as Data;
    expect(h.events[1]!.data.timestamp - (first.timestamp as number)).toBeLessThanOrEqual(1);
    expect(first.id).toMatch(/^media_i-[0-9a-f]{17}$/);
    expect(first.id).toBe(`media_${String(first.environmentId)}`);
    expect(first.uri).toBe(`ws://${String(first.ip)}:8888/kurento`);
    expect(first.clusterId).toMatch(/^clu_/);
    const joined = h.events.find((e) => e.name === 'participantJoined')!.data as Data;
    expect(joined.location).toMatch(/^(?:[^,]+, )?[^,]+$/); // GeoLocation.toString: "City, Country" or "Country"
    expect(h.engine.snapshot().mediaNodes.find((n) => n.handle === 'n1')!.sessions).toEqual(['s']);
  });

  it('places a session on the least loaded running node', () => {
    const h = proMeeting()
      .at(7000, 'createSession', { session: 't' })
      .at(8000, 'join', { session: 't', participant: 'c' });
    expect(h.engine.snapshot().mediaNodes.find((n) => n.handle === 'n2')!.sessions).toEqual(['t']);
  });
});

describe('§4.8 Pro node crash', () => {
  it('without recovery: nodeCrashed, terminating, sessions closed with nodeCrashed (recording stopped only), terminated', () => {
    const h = proMeeting({ reconnectionTimeout: 3 })
      .clear()
      .at(20_000, 'crashMediaNode', { node: 'n1' })
      .wait(10_000);
    const t = statusTrace(h);
    expect(t[0]).toBe('nodeCrashed');
    expect(t[1]).toBe('node:running->terminating');
    expect(t.slice(-4)).toEqual([
      'recordingStatusChanged:stopped:nodeCrashed',
      'broadcastStopped:nodeCrashed',
      'sessionDestroyed:nodeCrashed',
      'node:terminating->terminated',
    ]);
    expect(t).not.toContain('recordingStatusChanged:ready:nodeCrashed');
    const crashed = h.events[0]!.data as Data;
    const sessionId = (h.events.find((e) => e.name === 'sessionDestroyed')!.data as Data).sessionId;
    expect(crashed).toMatchObject({
      nodeRole: 'medianode',
      sessionIds: [sessionId],
      recordingIds: [sessionId],
      broadcasts: [sessionId],
    });
    expect(crashed.timestamp).toBe(h.events[0]!.data.timestamp);
    expect(h.events[0]!.data.timestamp - (h.engine.now - 10_000 + 3000)).toBeLessThanOrEqual(0);
  });

  it('recovering within the reconnection timeout: nodeCrashed, the sessions lost, then nodeRecovered; the node stays', () => {
    const h = proMeeting({ reconnectionTimeout: 60 })
      .clear()
      .at(20_000, 'crashMediaNode', { node: 'n1', recoverAfter: 30_000 })
      .wait(60_000);
    const t = statusTrace(h);
    expect(t[0]).toBe('nodeCrashed');
    expect(t.at(-1)).toBe('nodeRecovered');
    expect(t).toContain('sessionDestroyed:nodeCrashed');
    expect(t.filter((x) => x.startsWith('node:'))).toEqual([]);
    expect(h.engine.snapshot().mediaNodes.map((n) => n.status)).toEqual(['running', 'running']);
  });
});

describe('a node crash reaching a recording', () => {
  it('a COMPOSED_QUICK_START recording still starting when its node is declared crashed is left stopped, not failed', () => {
    const h = new Harness({ edition: 'pro', cluster: { mediaNodes: 1 } })
      .at(0, 'createSession', { session: 's' })
      .at(1000, 'join', { session: 's', participant: 'a' })
      .at(1500, 'publish', { participant: 'a' })
      .at(2000, 'crashMediaNode', { node: 'node1' })
      .at(4900, 'startRecording', { session: 's', recording: 'r', outputMode: 'COMPOSED_QUICK_START' })
      .clear()
      .wait(200);
    const recordings = statusTrace(h).filter((x) => x.startsWith('recordingStatusChanged'));
    expect(recordings).toEqual(['recordingStatusChanged:stopped:nodeCrashed']);
    expect(statusTrace(h).at(-1)).toBe('sessionDestroyed:nodeCrashed');
  });
});

describe('media node removal strategies', () => {
  it('now: terminating, sessions closed with mediaServerDisconnect, terminated', () => {
    const h = proMeeting().clear().at(20_000, 'removeMediaNode', { node: 'n1', strategy: 'now' });
    const t = statusTrace(h);
    expect(t[0]).toBe('node:running->terminating');
    expect(t.filter((x) => x.startsWith('participantLeft'))).toEqual([
      'participantLeft:mediaServerDisconnect',
      'participantLeft:mediaServerDisconnect',
    ]);
    expect(t.slice(-4)).toEqual([
      'recordingStatusChanged:ready:mediaServerDisconnect',
      'broadcastStopped:mediaServerDisconnect',
      'sessionDestroyed:mediaServerDisconnect',
      'node:terminating->terminated',
    ]);
  });

  it('if-no-sessions: refused while busy, immediate when idle', () => {
    const h = proMeeting();
    expect(() => h.at(20_000, 'removeMediaNode', { node: 'n1', strategy: 'if-no-sessions' })).toThrow(
      /hosts 1 session/,
    );
    h.clear().at(21_000, 'removeMediaNode', { node: 'n2', strategy: 'if-no-sessions' });
    expect(statusTrace(h)).toEqual(['node:running->terminating', 'node:terminating->terminated']);
  });

  it('when-no-sessions: waiting-idle-to-terminate, terminating when its last session ends', () => {
    const h = proMeeting()
      .clear()
      .at(20_000, 'removeMediaNode', { node: 'n1', strategy: 'when-no-sessions' });
    expect(statusTrace(h)).toEqual(['node:running->waiting-idle-to-terminate']);
    h.clear().at(30_000, 'closeSession', { session: 's' });
    expect(statusTrace(h).slice(-3)).toEqual([
      'sessionDestroyed:sessionClosedByServer',
      'node:waiting-idle-to-terminate->terminating',
      'node:terminating->terminated',
    ]);
  });
});

describe('media node status machine', () => {
  it('launches with a delay, refuses illegal PATCH targets, cancels and terminates a canceled node at launch end', () => {
    const h = new Harness({ edition: 'pro', cluster: { mediaNodes: 0 } }).at(0, 'launchMediaNode', {
      node: 'x',
      launchDelay: 60_000,
    });
    expect(statusTrace(h)).toEqual(['node:null->launching']);
    expect(() =>
      h.at(1000, 'setMediaNodeStatus', { node: 'x', status: 'waiting-idle-to-terminate' }),
    ).toThrow(/only allowed from running/);
    h.clear().at(2000, 'setMediaNodeStatus', { node: 'x', status: 'canceled' }).wait(70_000);
    expect(statusTrace(h)).toEqual([
      'node:launching->canceled',
      'node:canceled->terminating',
      'node:terminating->terminated',
    ]);
  });

  it('refuses Pro actions in CE with a message naming the edition', () => {
    const h = new Harness();
    expect(() => h.at(0, 'launchMediaNode', { node: 'x' })).toThrow(/needs OpenVidu Pro or Enterprise/);
  });
});

describe('autoscaling', () => {
  it('launches a node when the average load is above maxLoad, then terminates one when it falls below minLoad', () => {
    const h = new Harness({
      edition: 'pro',
      cluster: {
        mediaNodes: 1,
        loadInterval: 10,
        autoscaling: { enabled: true, minNodes: 1, maxNodes: 3, minLoad: 10, maxLoad: 30 },
      },
    }).at(0, 'createSession', { session: 's' });
    for (let i = 0; i < 5; i++) {
      h.at(1000 + i * 100, 'join', { session: 's', participant: `p${i}` }).at(1050 + i * 100, 'publish', {
        participant: `p${i}`,
      });
    }
    h.clear().wait(15_000);
    const scaleUp = h.events.find((e) => e.name === 'autoscaling')!.data as Data;
    expect(String(scaleUp.reason)).toMatch(
      /^The cluster average load \(\d+\.\d\d%\) is above its limits \[10\.00%, 30\.00%\] and the upper limit of Media Nodes \(3\) has not been reached\. Current number of active nodes is 1 \(0 launching and 1 running\)\. \d new Media Nodes will be launched\.$/,
    );
    const next = h.events[h.events.findIndex((e) => e.name === 'autoscaling') + 1]!;
    expect(next.name).toBe('mediaNodeStatusChanged');
    expect((next.data as Data).newStatus).toBe('launching');
    // Everyone leaves: the load falls, the cluster shrinks back to minNodes.
    for (let i = 0; i < 5; i++) h.at(30_000 + i * 100, 'leave', { participant: `p${i}` });
    h.clear().wait(400_000);
    const downs = h.events
      .filter((e) => e.name === 'autoscaling')
      .map((e) => String((e.data as Data).reason));
    expect(downs.some((r) => /is below its limits/.test(r))).toBe(true);
    expect(h.engine.snapshot().mediaNodes.filter((n) => n.status === 'running')).toHaveLength(1);
  });

  it('serializes the autoscaling loads as Java doubles', async () => {
    const { Profile } = await import('../../src/model/profile.js');
    const h = new Harness({
      edition: 'pro',
      cluster: {
        mediaNodes: 0,
        autoscaling: { enabled: true, minNodes: 1, maxNodes: 2, minLoad: 20, maxLoad: 70 },
      },
    }).wait(10_000);
    const line = new Profile('2.32', 'pro').serializeWebhook(
      h.events.find((e) => e.name === 'autoscaling')!,
    )!;
    expect(line).toContain('"config":{"maxNodes":2,"minNodes":1,"maxAvgLoad":70.0,"minAvgLoad":20.0}');
    expect(line).toContain('"totalLoad":0.0,"avgLoad":0.0');
    expect(line.endsWith(',"event":"autoscaling"}')).toBe(true);
  });
});

describe('broadcasts and Enterprise HA', () => {
  it('stops the broadcast when the last participant leaves, before the recording’s auto-stop', () => {
    const h = proMeeting()
      .at(10_000, 'leave', { participant: 'a' })
      .clear()
      .at(11_000, 'leave', { participant: 'b' });
    expect(statusTrace(h).slice(-2)).toEqual([
      'participantLeft:disconnect',
      'broadcastStopped:lastParticipantLeft',
    ]);
    h.clear().at(12_000, 'createSession', { session: 'other' });
    expect(() => h.at(12_500, 'stopBroadcast', { session: 's' })).toThrow(/not broadcasting/);
  });

  it('registers and deregisters master nodes in Enterprise only', () => {
    const h = new Harness({ edition: 'enterprise' })
      .clear()
      .at(0, 'registerMasterNode', { node: 'm1', ip: '10.5.0.6' })
      .at(5000, 'deregisterMasterNode', { node: 'm1' });
    expect(h.events.filter((e) => e.name.startsWith('HANode')).map((e) => e.data)).toEqual([
      expect.objectContaining({ nodeId: 'master_10.5.0.6', ip: '10.5.0.6' }),
      expect.objectContaining({
        nodeId: 'master_10.5.0.6',
        ip: '10.5.0.6',
        reason: 'mediaNodeStatusTerminated',
      }),
    ]);
    expect(() => new Harness({ edition: 'pro' }).at(0, 'registerMasterNode', { node: 'm' })).toThrow(
      /Enterprise/,
    );
  });
});

describe('node crash order', () => {
  it('lists and closes a crashed node’s sessions in the order of OpenVidu’s Kms.kurentoSessions (a ConcurrentHashMap)', () => {
    const h = new Harness({ edition: 'pro', cluster: { mediaNodes: ['n1'] } });
    const handles = Array.from({ length: 14 }, (_, i) => `s${i}`);
    for (const [i, s] of handles.entries()) {
      h.at(i * 10, 'createSession', { session: s, mediaNode: 'n1' });
      h.at(i * 10 + 5, 'join', { session: s, participant: `${s}a` });
    }
    // Two sessions end before the crash: the map keeps its grown table (14 keys made it 32 bins).
    h.at(500, 'leave', { participant: 's3a' });
    h.at(510, 'leave', { participant: 's8a' });
    h.at(1000, 'crashMediaNode', { node: 'n1' }).wait(5000);
    const created = h.events.filter((e) => e.name === 'sessionCreated').map((e) => String(e.data.sessionId));
    const model = new JavaConcurrentHashMapKeys();
    for (const id of created) model.put(id);
    model.remove(created[3]!);
    model.remove(created[8]!);
    const crashed = h.events.find((e) => e.name === 'nodeCrashed')!.data as Data;
    expect(crashed.sessionIds).toEqual(model.keys());
    expect(crashed.sessionIds).not.toEqual(created.filter((_, i) => i !== 3 && i !== 8)); // not creation order
    const closed = h.events
      .filter((e) => e.name === 'sessionDestroyed' && (e.data as Data).reason === 'nodeCrashed')
      .map((e) => (e.data as Data).sessionId);
    expect(closed).toEqual(model.keys());
  });
});
