/**
 * Recordings, signals, legacy tokens and the configuration of the fake OpenVidu REST API, answering as OpenVidu
 * 2.32.1's SessionRestController and ConfigRestController do.
 */
import type { Request, Router } from 'express';
import { OvsimError } from '../../errors.js';
import type { Action } from '../../model/commands.js';
import { configJson, configValues, publicAddress, RECORDING_PATH } from './config-view.js';
import { createPending } from './connection-factory.js';
import { sendJavaJson, sendPlainText } from './java-json.js';
import { tokenJson } from './json-views.js';
import { emptyAnswer, javaError, springError } from './openvidu-errors.js';
import { startModeRefusal } from './output-mode-before-215.js';
import { objectBody, optMediaNodeId, optString, readRecordingProps, type Body } from './rest-body.js';
import { headerPolicy, param, type RouteContext } from './route-context.js';
import { asJavaError, connectionPath } from './session-routes.js';
import { waitFor } from './wait-for.js';

const RECORDING_NAME = /^[a-zA-Z0-9_\-~]+$/;

/** The body of an endpoint whose `@RequestBody` is required: none at all is Spring's 400. */
function requiredBody(req: Request): Body {
  if (req.body === undefined) throw springError(400, 'a JSON body is required');
  return objectBody(req);
}

export function addRecordingRoutes(router: Router, ctx: RouteContext): void {
  const { sim, world } = ctx;

  router.post('/recordings/start', async (req, res) => {
    res.locals['javaPath'] = '/recordings/start';
    const b = requiredBody(req);
    const sessionId = optString(b, 'session');
    if (sessionId === undefined)
      throw javaError(400, '"session" parameter is mandatory', '/recordings/start');
    const tooNew = startModeRefusal(b, sim.currentProfile.minor);
    if (tooNew !== undefined) throw tooNew;
    const s = ctx.session(sessionId, () => emptyAnswer(404, `no session "${sessionId}"`));
    const relayed = world.sessionProps.get(s.sessionId)?.mediaMode === 'RELAYED';
    if (relayed || s.recording !== undefined) {
      throw emptyAnswer(
        409,
        relayed ? `session "${s.sessionId}" is RELAYED` : `session "${s.sessionId}" is being recorded`,
      );
    }
    if (s.connections.length === 0)
      throw emptyAnswer(406, `session "${s.sessionId}" has no connected participant`);
    const props = readStartProps(b);
    ctx.exec({ type: 'startRecording', args: { session: s.handle, ...props } } as Action);
    const id = sim.view.describeSession(s.sessionId)?.recording?.id;
    if (id === undefined) throw new OvsimError('INTERNAL', 'the recording did not start');
    // OpenVidu answers once the recording is `started` (the composed recorder is up).
    await waitFor(sim, () => ctx.liveRecording(id)?.status !== 'starting', ctx.o.maxWaitMs);
    sendJavaJson(res, 200, ctx.recording(req, id));
  });

  router.post('/recordings/stop/:recordingId', async (req, res) => {
    const id = param(req, 'recordingId');
    const live = ctx.liveRecording(id);
    if (live?.status === 'starting') throw emptyAnswer(406, `recording "${id}" is still starting`);
    if (live?.status !== 'started') throw emptyAnswer(404, `no recording "${id}" in progress`);
    ctx.exec({ type: 'stopRecording', args: { recording: live.handle } });
    // CE answers with the recording `ready` (its processing is synchronous); Pro answers `stopped` at once.
    if (sim.currentProfile.edition === 'ce') {
      const done = () => ['ready', 'failed'].includes(world.recording(id)?.status ?? '');
      await waitFor(sim, done, ctx.o.maxWaitMs);
    }
    sendJavaJson(res, 200, ctx.recording(req, id));
  });

  router.get('/recordings/:recordingId', (req, res) => {
    sendJavaJson(res, 200, ctx.recording(req, param(req, 'recordingId')));
  });

  router.get('/recordings', (req, res) => {
    const ids = new Set<string>([...world.recordingIds(), ...sim.view.describeRecordings().map((r) => r.id)]);
    const items = [...ids]
      .filter((id) => !world.deletedRecordings.has(id))
      .map((id) => ctx.recording(req, id))
      .sort((a, b) => Number(a['createdAt']) - Number(b['createdAt']));
    sendJavaJson(res, 200, { count: items.length, items });
  });

  router.delete('/recordings/:recordingId', (req, res) => {
    const id = param(req, 'recordingId');
    const st = ctx.liveRecording(id)?.status;
    if (st === 'started' || st === 'starting') throw emptyAnswer(409, `recording "${id}" is ${st}`);
    ctx.recording(req, id);
    world.deleteRecording(id);
    res.status(204).end();
  });

  addSignalTokenConfigRoutes(router, ctx);
}

/** Signals, legacy tokens and the configuration. */
function addSignalTokenConfigRoutes(router: Router, ctx: RouteContext): void {
  const { sim, world } = ctx;

  router.post('/signal', (req, res) => {
    res.locals['javaPath'] = '/signal';
    const b = requiredBody(req);
    const sessionId = b['session'];
    const to = b['to'];
    const typeError = () => javaError(400, 'Type error in some parameter', '/signal');
    if (sessionId !== undefined && sessionId !== null && typeof sessionId !== 'string') throw typeError();
    if (to !== undefined && to !== null && (!Array.isArray(to) || to.some((x) => typeof x !== 'string')))
      throw typeError();
    if (['type', 'data'].some((k) => b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string'))
      throw typeError();
    if (typeof sessionId !== 'string') throw javaError(400, '"session" parameter is mandatory', '/signal');
    const s = ctx.session(sessionId, () => emptyAnswer(404, `no session "${sessionId}"`));
    if (!ctx.isActive(s)) throw emptyAnswer(406, `session "${sessionId}" has no connected participant`);
    const args: Record<string, unknown> = { session: s.handle };
    if (Array.isArray(to) && to.length > 0) {
      args['to'] = (to as string[]).map((id) => {
        const c = s.connections.find((x) => x.connectionId === id);
        if (!c) throw javaError(406, '"to" array has no valid connection identifiers', '/signal');
        return c.handle;
      });
    }
    if (typeof b['type'] === 'string') args['type'] = b['type'];
    if (typeof b['data'] === 'string') args['data'] = b['data'];
    ctx.exec({ type: 'signal', args } as Action);
    res.status(200).end();
  });

  router.post('/tokens', (req, res) => {
    res.locals['javaPath'] = '/tokens';
    const b = requiredBody(req);
    const raw = b['session'];
    if (raw !== undefined && raw !== null && typeof raw !== 'string')
      throw javaError(400, 'Type error in some parameter', '/tokens');
    if (typeof raw !== 'string') throw javaError(400, '"session" parameter is mandatory', '/tokens');
    const s = ctx.session(raw, () => javaError(404, `Session ${raw} not found`, '/tokens'));
    // newToken drops `record` and reads the rest as a connection's properties.
    const rest = Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'record'));
    let c;
    try {
      c = createPending(
        sim,
        world,
        s,
        rest,
        ctx.tokenBase(req),
        headerPolicy(req, world.policyFor(s.sessionId)),
      );
    } catch (e) {
      asJavaError(e, connectionPath(s.sessionId));
    }
    sendJavaJson(res, 200, tokenJson(c));
  });

  const config = (req: Request) =>
    configValues(sim.currentProfile, publicAddress(req, ctx.o.publicUrl), ctx.o.config);
  router.get('/config', (req, res) => sendJavaJson(res, 200, configJson(sim.currentProfile, config(req))));
  router.get('/config/openvidu-version', (_req, res) => sendPlainText(res, sim.currentProfile.release));
  router.get('/config/openvidu-publicurl', (req, res) =>
    sendPlainText(res, publicAddress(req, ctx.o.publicUrl).finalUrl),
  );
  router.get('/config/openvidu-recording', (req, res) =>
    sendJavaJson(res, 200, config(req)['OPENVIDU_RECORDING'] === true),
  );
  router.get('/config/openvidu-recording-path', (_req, res) => sendPlainText(res, RECORDING_PATH));
  router.get('/config/openvidu-cdr', (req, res) =>
    sendJavaJson(res, 200, config(req)['OPENVIDU_CDR'] === true),
  );
}

/** The properties of `POST /recordings/start`, refused as `RecordingProperties.fromJson` refuses them. */
function readStartProps(b: Body): Record<string, unknown> {
  // SessionRestController.startRecording names "/sessions" in these errors' bodies.
  try {
    const { props } = readRecordingProps(b, '', 422);
    optMediaNodeId(b, 'mediaNode');
    if (props.name !== undefined && !RECORDING_NAME.test(props.name)) {
      throw javaError(
        400,
        "Parameter 'name' is wrong. Must be an alphanumeric string [a-zA-Z0-9_-~]+",
        '/sessions',
      );
    }
    if (props.hasAudio === false && props.hasVideo === false) {
      throw javaError(
        422,
        'Cannot start a recording with both "hasAudio" and "hasVideo" set to false',
        '/sessions',
      );
    }
    return props as Record<string, unknown>;
  } catch (e) {
    return asJavaError(e, '/sessions');
  }
}
