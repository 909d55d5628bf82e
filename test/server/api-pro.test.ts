/**
 * OpenVidu Pro and Enterprise through the control API: Pro scenarios load with their cluster settings, every Pro
 * action answers with its cascade (or a refusal with OpenVidu's status), node faults cascade in OpenVidu's order, and
 * the CDR file and WebHook sender follow a load that changes the edition.
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { attachLiveSinks } from '../../src/server/live-sinks.js';
import { WebhookPanel } from '../../src/server/webhook-panel.js';
import { startServer, T0, type Json, type Running } from './helpers.js';

let running: Running | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const names = (batch: Json): string[] => batch.events.map((e: { name: string }) => e.name);
const data = (e: Json) => JSON.parse(e.webhook ?? Object.values(JSON.parse(e.cdr))[0]);

/** A Pro world of two nodes whose crashed nodes are given up after 20 s. */
const PRO_WORLD = `name: pro-world
openvidu:
  edition: pro
  cluster: { id: TEST_CLUSTER, mediaNodes: [node-a, node-b], reconnectionTimeout: 20 }
steps: []
`;

async function loadPro(r: Running, text = PRO_WORLD, query = ''): Promise<Json> {
  const loaded = await r.call('POST', `/api/scenario${query}`, text, { 'content-type': 'application/yaml' });
  expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
  return loaded.body;
}

/** Steps until a cascade holds `name` (at most 50 steps); returns every event stepped through, in order. */
async function stepUntil(r: Running, name: string): Promise<Json[]> {
  const seen: Json[] = [];
  for (let i = 0; i < 50; i++) {
    const { body } = await r.call('POST', '/api/step');
    if (!body.batch) break;
    seen.push(...body.batch.events);
    if (names(body.batch).includes(name)) return seen;
  }
  throw new Error(`no ${name} within 50 steps (saw ${seen.map((e) => e.name).join(', ')})`);
}

describe('Pro scenarios', () => {
  it('loads a bundled Pro scenario with its cluster settings and boots its nodes', async () => {
    running = await startServer();
    const { body } = await running.call('POST', '/api/scenarios/pro-node-faults/load');
    expect(body.openvidu).toMatchObject({
      edition: 'pro',
      cluster: { initialNodes: 2, reconnectionTimeout: 20, autoscaling: { enabled: false } },
    });
    expect(body.snapshot).toMatchObject({ edition: 'pro', clusterId: 'MY_CLUSTER', mediaNodes: [] });
    const boot = await running.call('POST', '/api/step');
    expect(boot.body.batch.cause).toEqual({ kind: 'timer', label: 'cluster boot' });
    expect(boot.body.batch.events.map((e: Json) => [data(e).newStatus, data(e).clusterId])).toEqual([
      ['launching', 'MY_CLUSTER'],
      ['running', 'MY_CLUSTER'],
      ['launching', 'MY_CLUSTER'],
      ['running', 'MY_CLUSTER'],
    ]);
    expect(boot.body.state.snapshot.mediaNodes.map((n: Json) => [n.handle, n.status])).toEqual([
      ['node-a', 'running'],
      ['node-b', 'running'],
    ]);

    const autoscaled = await running.call('POST', '/api/scenarios/pro-day/load');
    expect(autoscaled.body.openvidu.cluster).toMatchObject({
      reconnectionTimeout: 20,
      loadInterval: 15,
      autoscaling: { enabled: true, minNodes: 2, maxNodes: 5, minLoad: 8, maxLoad: 30 },
    });
  });

  it('lets a load choose the edition, over --edition and the scenario', async () => {
    running = await startServer({ edition: 'pro' });
    expect((await running.call('GET', '/api/state')).body.openvidu.edition).toBe('pro');
    const ce = await running.call('POST', '/api/scenario?edition=ce', '{"name":"live","steps":[]}');
    expect(ce.body.openvidu).toMatchObject({ edition: 'ce', cluster: null });
    const ent = await loadPro(running, PRO_WORLD, '?edition=enterprise');
    expect(ent.openvidu.edition).toBe('enterprise');
    const bad = await running.call('POST', '/api/scenarios/default/load?edition=gold');
    expect([bad.status, bad.body.error.message]).toEqual([400, expect.stringMatching(/^edition: "gold"/)]);
  });

  it('publishes the PATCH targets OpenVidu accepts from each node status', async () => {
    running = await startServer();
    const { body } = await running.call('GET', '/api/catalogue');
    expect(body.mediaNodePatchTargets).toEqual({
      launching: ['canceled'],
      canceled: ['launching'],
      running: ['waiting-idle-to-terminate', 'terminating'],
      'waiting-idle-to-terminate': ['running', 'terminating'],
    });
    expect(body.actions).toEqual(
      expect.arrayContaining(['launchMediaNode', 'crashMediaNode', 'registerMasterNode']),
    );
  });
});

describe('Pro actions', () => {
  it('crashes a node: nodeCrashed, then at the reconnection timeout terminating, its sessions closed, terminated', async () => {
    running = await startServer();
    await loadPro(running);
    await stepUntil(running, 'mediaNodeStatusChanged'); // boot
    const ok = async (type: string, args: unknown) => {
      const r = await running!.act(type, args);
      expect(r.status, `${type} ${JSON.stringify(r.body)}`).toBe(200);
      return r.body;
    };
    const created = await ok('createSession', { session: 's', mediaNode: 'node-b' });
    expect(names(created.batch)).toEqual(['sessionCreated']);
    await ok('join', { session: 's', participant: 'a' });
    await ok('publish', { participant: 'a' });
    await ok('join', { session: 's', participant: 'b' }); // subscribes to a by itself (autoSubscribe)
    await ok('startRecording', { session: 's', recording: 'r', outputMode: 'INDIVIDUAL' });
    expect(names((await ok('startBroadcast', { session: 's' })).batch)).toEqual(['broadcastStarted']);
    const state = (await running.call('GET', '/api/state')).body.snapshot;
    expect(state.sessions[0]).toMatchObject({ handle: 's', mediaNode: 'node-b', broadcasting: true });
    expect(state.mediaNodes.find((n: Json) => n.handle === 'node-b').sessions).toEqual(['s']);

    // The crash itself writes nothing: OpenVidu retries silently for 3 s first.
    expect(names((await ok('crashMediaNode', { node: 'node-b' })).batch)).toEqual([]);
    const crashed = await stepUntil(running, 'nodeCrashed');
    expect(crashed.map((e) => e.name)).toEqual(['nodeCrashed']);
    expect(data(crashed[0])).toMatchObject({
      nodeRole: 'medianode',
      sessionIds: [state.sessions[0].sessionId],
      clusterId: 'TEST_CLUSTER',
    });
    const given = await stepUntil(running, 'sessionDestroyed');
    const order = given.map((e) => (e.name === 'mediaNodeStatusChanged' ? data(e).newStatus : e.name));
    expect(order[0]).toBe('terminating');
    expect(order.at(-1)).toBe('terminated');
    expect(order.indexOf('sessionDestroyed')).toBe(order.length - 2);
    expect(order).toEqual(
      expect.arrayContaining([
        'webrtcConnectionDestroyed',
        'participantLeft',
        'recordingStatusChanged',
        'broadcastStopped',
      ]),
    );
    expect(order.lastIndexOf('participantLeft')).toBeLessThan(order.indexOf('broadcastStopped'));
    // Pro: the recordings of a crashed node stay at stopped (no ready), every reason is nodeCrashed.
    for (const e of given.filter((x) => x.name !== 'mediaNodeStatusChanged'))
      expect(data(e).reason, e.name).toBe('nodeCrashed');
    expect(given.filter((e) => e.name === 'recordingStatusChanged').map((e) => data(e).status)).toEqual([
      'stopped',
    ]);
    const after = (await running.call('GET', '/api/state')).body.snapshot;
    expect(after.mediaNodes.map((n: Json) => n.handle)).toEqual(['node-a']);
    expect(after.sessions).toEqual([]);
  });

  it('launches, patches, removes, recovers, restarts and broadcasts, refusing what OpenVidu refuses', async () => {
    running = await startServer();
    await loadPro(running);
    await stepUntil(running, 'mediaNodeStatusChanged');
    const act = async (type: string, args: unknown) => {
      const r = await running!.act(type, args);
      return { status: r.status, names: r.status === 200 ? names(r.body.batch) : [], body: r.body };
    };
    const statuses = (r: { body: Json }) => r.body.batch.events.map((e: Json) => data(e).newStatus);

    const launched = await act('launchMediaNode', { node: 'node-c', launchDelay: '5s' });
    expect(statuses(launched)).toEqual(['launching']);
    expect(data(launched.body.batch.events[0]).oldStatus).toBeNull();
    // Only OpenVidu's PATCH targets: launching → canceled → launching; launching → running is a 409.
    const illegal = await act('setMediaNodeStatus', { node: 'node-c', status: 'running' });
    expect([illegal.status, illegal.body.error.message]).toEqual([
      409,
      expect.stringContaining('only allowed from'),
    ]);
    expect(statuses(await act('setMediaNodeStatus', { node: 'node-c', status: 'canceled' }))).toEqual([
      'canceled',
    ]);
    expect(statuses(await act('setMediaNodeStatus', { node: 'node-c', status: 'launching' }))).toEqual([
      'launching',
    ]);
    const up = await stepUntil(running, 'mediaNodeStatusChanged');
    expect(up.map((e) => data(e).newStatus)).toEqual(['running']);

    // Remove strategies: if-no-sessions refuses a busy node; when-no-sessions drains it; now closes its sessions.
    await act('createSession', { session: 's', mediaNode: 'node-c' });
    await act('join', { session: 's', participant: 'a' });
    await act('publish', { participant: 'a' });
    const busy = await act('removeMediaNode', { node: 'node-c', strategy: 'if-no-sessions' });
    expect(busy.status).toBe(409);
    expect(statuses(await act('removeMediaNode', { node: 'node-c', strategy: 'when-no-sessions' }))).toEqual([
      'waiting-idle-to-terminate',
    ]);
    const now = await act('removeMediaNode', { node: 'node-c', strategy: 'now' });
    expect(now.names[0]).toBe('mediaNodeStatusChanged');
    expect(now.names.at(-1)).toBe('mediaNodeStatusChanged');
    expect(now.names).toContain('sessionDestroyed');
    expect(data(now.body.batch.events.find((e: Json) => e.name === 'sessionDestroyed')).reason).toBe(
      'mediaServerDisconnect',
    );

    // A crash with recovery: nodeCrashed, then nodeRecovered; a media server restart destroys streams only.
    await act('createSession', { session: 't', mediaNode: 'node-a' });
    await act('join', { session: 't', participant: 'x' });
    await act('publish', { participant: 'x' });
    const restart = await act('mediaServerReconnect', { node: 'node-a' });
    expect(restart.names).toEqual(['webrtcConnectionDestroyed']);
    expect(data(restart.body.batch.events[0]).reason).toBe('mediaServerReconnect');
    await act('publish', { participant: 'x' });
    expect(
      (await act('startBroadcast', { session: 't', broadcastUrl: 'rtmp://example.com/live' })).names,
    ).toEqual(['broadcastStarted']);
    const stopped = await act('stopBroadcast', { session: 't' });
    expect(stopped.names).toEqual(['broadcastStopped']);
    expect(data(stopped.body.batch.events[0])).toMatchObject({
      reason: 'broadcastStoppedByServer',
      broadcastUrl: 'rtmp://example.com/live',
    });
    expect((await act('crashMediaNode', { node: 'node-b', recoverAfter: '10s' })).names).toEqual([]);
    expect((await stepUntil(running, 'nodeCrashed')).map((e) => e.name)).toEqual(['nodeCrashed']);
    expect((await stepUntil(running, 'nodeRecovered')).map((e) => e.name)).toEqual(['nodeRecovered']);

    // Unknown nodes are 404; HA master nodes need Enterprise.
    expect((await act('crashMediaNode', { node: 'nope' })).status).toBe(404);
    const ha = await act('registerMasterNode', { node: 'm1' });
    expect([ha.status, ha.body.error.message]).toEqual([400, expect.stringContaining('Enterprise')]);
  });

  it('registers and deregisters Enterprise master nodes; CE refuses Pro actions', async () => {
    running = await startServer({ edition: 'enterprise' });
    const reg = await running.act('registerMasterNode', { node: 'm1', ip: '10.5.0.6' });
    // The first thing that happens to a paused world boots its media node first, in the same cascade.
    expect(names(reg.body.batch)).toEqual([
      'mediaNodeStatusChanged',
      'mediaNodeStatusChanged',
      'HANodeRegistered',
    ]);
    expect(data(reg.body.batch.events[2])).toMatchObject({ nodeId: 'master_10.5.0.6', ip: '10.5.0.6' });
    expect(reg.body.state.snapshot.masterNodes).toEqual([
      { handle: 'm1', nodeId: 'master_10.5.0.6', ip: '10.5.0.6' },
    ]);
    const dereg = await running.act('deregisterMasterNode', { node: 'm1', reason: 'nodeCrashed' });
    expect(data(dereg.body.batch.events[0])).toMatchObject({
      nodeId: 'master_10.5.0.6',
      reason: 'nodeCrashed',
    });
    await running.close();

    running = await startServer();
    const ce = await running.act('launchMediaNode', { node: 'n' });
    expect([ce.status, ce.body.error.message]).toEqual([400, expect.stringContaining('needs OpenVidu Pro')]);
  });
});

describe('sinks across an edition change', () => {
  it('writes a new CDR file and POSTs with the Pro field set once a Pro scenario is loaded', async () => {
    const received: string[] = [];
    const endpoint = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.end();
      });
    });
    endpoint.listen(0, '127.0.0.1');
    await new Promise((r) => endpoint.once('listening', r));
    cleanups.push(() => new Promise((r) => endpoint.close(() => r())));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;
    const dir = mkdtempSync(join(tmpdir(), 'ovsim-cdr-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const panel = new WebhookPanel(url);
    running = await startServer({ webhook: panel });
    const config = resolveOpenviduConfig({
      flags: {
        OPENVIDU_WEBHOOK: 'true',
        OPENVIDU_WEBHOOK_ENDPOINT: url,
        OPENVIDU_CDR: 'true',
        OPENVIDU_CDR_PATH: dir,
      },
    });
    const sim = running.server.simulation;
    const sinks = attachLiveSinks(sim, { config, panel, serverStart: T0, profile: sim.currentProfile });
    cleanups.unshift(() => sinks.close(1000));

    const created = await running.act('createSession', { session: 'ce' });
    await loadPro(running, PRO_WORLD);
    const boot = await stepUntil(running, 'mediaNodeStatusChanged');
    await sinks.webhook!.idle();

    // The same start instant names the same file (OpenVidu restarted within the second appends to it too).
    const files = readdirSync(dir);
    expect(files).toEqual(['CDR.2024-01-01_00-00-00.log']);
    const lines = readFileSync(join(dir, files[0]!), 'utf8').trim().split('\n');
    expect(lines).toEqual([created.body.batch.events[0].cdr, ...boot.map((e) => e.cdr)]);
    expect(boot).toHaveLength(4);
    expect(received.filter((b) => b.includes('"event":"mediaNodeStatusChanged"'))).toEqual(
      boot.map((e) => e.webhook),
    );
    expect(received[0]).toMatch(/"event":"sessionCreated"\}$/);
  });
});
