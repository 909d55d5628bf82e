/**
 * The control API under `/api/`: drive the live simulation (scenario, clock, actions) and read it (state, events).
 * Handlers validate and delegate; they throw OvsimError and the error handler maps it to a status.
 */
import express, { type Request, type Router } from 'express';
import { PATCH_TARGETS } from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import { CATALOGUE, EVENT_NAMES } from '../model/catalogue.js';
import { parseScenarioText } from '../scenario/parse-scenario.js';
import { listBundledScenarios, readScenario } from '../scenario/read-scenario.js';
import { ACTION_NAMES, actionSchemas, type Action, type ActionName } from '../model/commands.js';
import { parseInstant } from '../scenario/simulate-scenario.js';
import { versionProblem } from '../scenario/version-features.js';
import type { Authenticator } from './auth.js';
import type { LiveSimulation } from './live-simulation.js';
import type { WebhookPanel } from './webhook-panel.js';

export interface ControlApiContext {
  readonly simulation: LiveSimulation;
  readonly auth: Authenticator;
  readonly webhook: WebhookPanel;
  /** Largest request body accepted, bytes. */
  readonly bodyLimitBytes: number;
  /** Folder of bundled scenarios (tests point it elsewhere); default the package's `scenarios/`. */
  readonly scenariosDir?: string | undefined;
}

/** Largest page of `GET /api/events`. */
export const MAX_EVENTS_PAGE = 1_000;
/** Furthest position `POST /api/seek` steps to, events (each step makes at least one). */
export const MAX_SEEK_EVENTS = 100_000;

export function createControlApi(ctx: ControlApiContext): Router {
  const router = express.Router();
  // The upload is read as text before the JSON parser, which every other route uses.
  addUploadRoute(router, ctx);
  router.use(express.json({ limit: ctx.bodyLimitBytes, strict: false }));
  addBundledScenarioRoutes(router, ctx);
  addPlaybackRoutes(router, ctx.simulation);
  addActionRoutes(router, ctx.simulation);
  addReadRoutes(router, ctx);
  return router;
}

/** Loading an uploaded scenario. */
function addUploadRoute(router: Router, ctx: ControlApiContext): void {
  const sim = ctx.simulation;
  // A scenario upload is text (YAML or JSON), parsed by the scenario parser so problems are located by line.
  router.post('/scenario', express.text({ type: () => true, limit: ctx.bodyLimitBytes }), (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    if (text.trim() === '') throw new OvsimError('BAD_INPUT', 'body: send the scenario as YAML or JSON text');
    const file = /json/i.test(req.headers['content-type'] ?? '') ? 'upload.json' : 'upload.yaml';
    const scenario = parseScenarioText(text, file);
    res.json(loadWith(sim, scenario, req));
  });
}

/** The bundled scenarios: their list, and loading one by name. */
function addBundledScenarioRoutes(router: Router, ctx: ControlApiContext): void {
  const sim = ctx.simulation;
  const scenariosOpt = ctx.scenariosDir === undefined ? {} : { scenariosDir: ctx.scenariosDir };
  router.get('/scenarios', async (_req, res) => {
    const list = await listBundledScenarios(ctx.scenariosDir);
    res.json({ scenarios: list.map(({ name, description }) => ({ name, description })) });
  });

  router.post('/scenarios/:name/load', async (req, res) => {
    const name = String(req.params['name']);
    const known = await listBundledScenarios(ctx.scenariosDir);
    if (!known.some((s) => s.name === name)) {
      throw new OvsimError(
        'NOT_FOUND',
        `name: no bundled scenario "${name}" (GET /api/scenarios lists them)`,
      );
    }
    res.json(loadWith(sim, await readScenario(name, scenariosOpt), req));
  });
}

/** The virtual clock: start, pause, reset, step, seek, speed. */
function addPlaybackRoutes(router: Router, sim: LiveSimulation): void {
  router.post('/start', (_req, res) => void res.json(sim.resume()));
  router.post('/resume', (_req, res) => void res.json(sim.resume()));
  router.post('/pause', (_req, res) => void res.json(sim.pause()));
  router.post('/reset', (_req, res) => void res.json(sim.reset()));
  router.post('/step', (_req, res) => {
    const batch = sim.step();
    res.json({ batch, state: sim.state() });
  });
  // Steps (paused) until the run holds `event` events: a shared link reopens a scenario at the same position.
  router.post('/seek', (req, res) => {
    const target = objectBody(req)['event'];
    if (typeof target !== 'number' || !Number.isInteger(target) || target < 0 || target > MAX_SEEK_EVENTS) {
      throw new OvsimError('BAD_INPUT', `event: an integer from 0 to ${MAX_SEEK_EVENTS} is required`);
    }
    sim.pause();
    while (sim.log.newest < target && sim.step() !== null);
    res.json(sim.state());
  });
  router.post('/speed', (req, res) => {
    const speed = objectBody(req)['speed'];
    if (typeof speed !== 'number')
      throw new OvsimError('BAD_INPUT', 'speed: a number is required (1 = real time)');
    res.json(sim.setSpeed(speed));
  });
}

/** Live actions, as the page's controls send them. */
function addActionRoutes(router: Router, sim: LiveSimulation): void {
  router.post('/actions', (req, res) => {
    const action = parseAction(objectBody(req));
    const tooNew = versionProblem(action, sim.currentProfile.minor);
    if (tooNew !== undefined) throw new OvsimError('BAD_INPUT', `args.${tooNew.field}: ${tooNew.message}`);
    const batch = sim.execute(action);
    res.json({ batch, state: sim.state() });
  });
}

/** What the run holds: state, world, sessions, events, downloads, the catalogue, the WebHook panel. */
function addReadRoutes(router: Router, ctx: ControlApiContext): void {
  const sim = ctx.simulation;
  router.get('/state', (_req, res) => {
    const livekit = sim.livekit();
    res.json({ ...sim.state(), webhook: ctx.webhook.status(), ...(livekit ? { livekit } : {}) });
  });

  router.get('/world', (_req, res) => void res.json(sim.world()));

  // What the run produced since its load or reset, byte for byte: the CDR lines and the WebHook bodies (JSON Lines).
  router.get('/download/:format', (req, res) => {
    const format = String(req.params['format']);
    if (format !== 'cdr' && format !== 'webhook') {
      throw new OvsimError('NOT_FOUND', `format: "${format}" is not a download (cdr or webhook)`);
    }
    const { text, first, last } = sim.livekit() ? livekitRunText(sim, format) : runText(sim, format);
    const st = sim.state();
    const name = `${st.scenario.name}-seed${st.seed}.${format === 'cdr' ? 'cdr.log' : 'webhook.jsonl'}`;
    res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`);
    // The ring keeps the newest events: a run longer than it starts later than its first event.
    res.setHeader('X-Ovsim-Events', `${first}-${last}`);
    res.type(format === 'cdr' ? 'text/plain; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.send(text);
  });

  router.get('/sessions/:handle', (req, res) => {
    const handle = String(req.params['handle']);
    const s = sim.state().snapshot.sessions.find((x) => x.handle === handle || x.sessionId === handle);
    if (!s)
      throw new OvsimError(
        'NOT_FOUND',
        `session "${handle}" is not live (GET /api/state lists the sessions)`,
      );
    res.json(s);
  });

  router.get('/events', (req, res) => {
    const after = intQuery(req, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intQuery(req, 'limit', 100, 1, MAX_EVENTS_PAGE);
    const typeParam = req.query['type'];
    let types: Set<string> | undefined;
    if (typeParam !== undefined) {
      const list = (Array.isArray(typeParam) ? typeParam : [typeParam]).flatMap((t) => String(t).split(','));
      const unknown = list.filter((t) => !(EVENT_NAMES as readonly string[]).includes(t));
      if (unknown.length > 0) {
        throw new OvsimError(
          'BAD_INPUT',
          `type: unknown event type "${unknown[0]}" (one of ${EVENT_NAMES.join(', ')})`,
        );
      }
      types = new Set(list);
    }
    res.json(sim.log.page(after, limit, types));
  });

  router.get('/catalogue', (_req, res) => {
    res.json({
      events: EVENT_NAMES.map((name) => ({
        name,
        edition: CATALOGUE[name].edition,
        doc: CATALOGUE[name].doc,
      })),
      actions: ACTION_NAMES,
      mediaNodePatchTargets: patchTargetsByStatus(),
    });
  });

  router.post('/feed-token', (_req, res) => void res.json(ctx.auth.issueFeedToken()));

  router.get('/webhook', (_req, res) => void res.json(ctx.webhook.status()));
}

/** Validates `{type, args}` against the scenario schema; 400 names the offending field. */
export function parseAction(body: Record<string, unknown>): Action {
  const type = body['type'];
  if (typeof type !== 'string' || !(ACTION_NAMES as readonly string[]).includes(type)) {
    throw new OvsimError(
      'BAD_INPUT',
      `type: ${typeof type === 'string' ? `unknown action "${type}"` : 'required'} (one of ${ACTION_NAMES.join(', ')})`,
    );
  }
  const name = type as ActionName;
  const parsed = actionSchemas[name].safeParse(body['args'] ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['args', ...(issue?.path ?? []).map(String)].join('.');
    if (issue?.code === 'unrecognized_keys') {
      const fields = Object.keys(actionSchemas[name].shape).join(', ');
      throw new OvsimError(
        'BAD_INPUT',
        `${path}.${issue.keys[0]}: unknown field of ${name} (its fields: ${fields})`,
      );
    }
    throw new OvsimError('BAD_INPUT', `${path}: ${issue?.message ?? 'invalid'}`);
  }
  return { type: name, args: parsed.data } as Action;
}

/** For each media node status, the statuses a REST PATCH may move it to (spec §8), so the page offers only those. */
export function patchTargetsByStatus(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [to, froms] of Object.entries(PATCH_TARGETS))
    for (const from of froms) (out[from] ??= []).push(to);
  return out;
}

function loadWith(sim: LiveSimulation, scenario: Parameters<LiveSimulation['load']>[0], req: Request) {
  const seedQ = req.query['seed'];
  const startQ = req.query['start'];
  let start: number | undefined;
  if (typeof startQ === 'string') {
    start = parseInstant(startQ);
    if (start === undefined)
      throw new OvsimError('BAD_INPUT', `start: "${startQ}" is not an ISO 8601 instant`);
  }
  const editionQ = req.query['edition'];
  if (editionQ !== undefined && editionQ !== 'ce' && editionQ !== 'pro' && editionQ !== 'enterprise') {
    throw new OvsimError('BAD_INPUT', `edition: "${String(editionQ)}" must be ce, pro or enterprise`);
  }
  const state = sim.load(scenario, {
    seed: typeof seedQ === 'string' ? seedQ : undefined,
    start,
    edition: editionQ,
  });
  return req.query['autoplay'] === 'true' ? sim.resume() : state;
}

/** The run's CDR lines or WebHook bodies, one per line, oldest first, and the seqs of the first and last event. */
function runText(
  sim: LiveSimulation,
  format: 'cdr' | 'webhook',
): { text: string; first: number; last: number } {
  const parts: string[] = [];
  let after = 0;
  for (;;) {
    const page = sim.log.page(after, MAX_EVENTS_PAGE);
    for (const e of page.events) {
      const line = format === 'cdr' ? e.cdr : e.webhook;
      if (line !== null) parts.push(line, '\n');
    }
    if (page.next === null) break;
    after = page.next;
  }
  return { text: parts.join(''), first: sim.log.oldest, last: sim.log.newest };
}

/** OpenVidu 3: the LiveKit bodies the page keeps (the newest ones of a long run); no CDR file exists. */
function livekitRunText(sim: LiveSimulation, format: 'cdr' | 'webhook') {
  if (format === 'cdr')
    throw new OvsimError(
      'NOT_FOUND',
      'format: OpenVidu 3 writes no CDR file (download webhook for its LiveKit bodies)',
    );
  const events = sim.livekit()?.events ?? [];
  return {
    text: events.map((e) => `${e.body}\n`).join(''),
    first: events[0]?.seq ?? 0,
    last: events.at(-1)?.seq ?? 0,
  };
}

function objectBody(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new OvsimError('BAD_INPUT', 'body: a JSON object is required (Content-Type: application/json)');
  }
  return b as Record<string, unknown>;
}

function intQuery(req: Request, name: string, dflt: number, min: number, max: number): number {
  const v = req.query[name];
  if (v === undefined) return dflt;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max))
    throw new OvsimError('BAD_INPUT', `${name}: an integer from ${min} to ${max} is required`);
  return n;
}
