/**
 * The rehearsal options `run` and `load` share: sender-side chaos (`--chaos`), the delivery journal (`--journal`) and
 * the ground truth of the run (`--truth`), checked before anything starts; the `run` record of the journal with its
 * command line to reproduce the run; and the warning of OpenVidu#521 (`OPENVIDU_WEBHOOK_EVENTS=[]` sends nothing).
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { OpenviduConfig } from '../config/openvidu-config.js';
import { OvsimError } from '../errors.js';
import type { ServerKind } from '../model/servers.js';
import type { SimulationSettings } from '../scenario/simulate-scenario.js';
import { openAtomicFile, type TextSink } from '../sinks/atomic-file.js';
import { formatChaosSpec, parseChaosSpec, type ChaosSpec } from '../sinks/chaos-spec.js';
import { shellWord, type JournalHeader } from '../sinks/journal-header.js';
import { TruthBuilder, type TruthRun } from '../truth/build-truth.js';
import { formatTruth } from '../truth/format-truth.js';
import type { CliIo } from './io.js';

export interface ChaosArgs {
  readonly chaos?: string | undefined;
  readonly journal?: string | undefined;
  readonly truth?: string | undefined;
}

export function chaosBuilder<T>(y: Argv<T>): Argv<T & ChaosArgs> {
  return y
    .option('chaos', {
      type: 'string',
      describe:
        'misbehave as a sender: a preset (openvidu2, svix, stripe, none) and/or items such as ' +
        'dup=0.05,reorder=8,drop=0.01,delay=exp:200ms, drawn from the seed (docs/chaos.md)',
    })
    .option('journal', {
      type: 'string',
      describe: 'write every injected fault and every request, with its answer, to this JSON Lines file',
    })
    .option('truth', {
      type: 'string',
      describe:
        'write the ground truth of the events the engine produced (not of what was delivered) to this file ' +
        '(docs/truth-and-score.md)',
    }) as unknown as Argv<T & ChaosArgs>;
}

export interface RehearsalOptions {
  /** `--chaos`, parsed; undefined without it. */
  readonly spec: ChaosSpec | undefined;
  readonly journalPath: string | undefined;
  readonly truthPath: string | undefined;
}

/**
 * Checks `--chaos`, `--journal` and `--truth` against each other and the other output files.
 * @throws OvsimError BAD_INPUT (exit 2)
 */
export function parseRehearsalOptions(
  o: ChaosArgs,
  others: Readonly<Record<string, string | undefined>>,
): RehearsalOptions {
  const spec = o.chaos === undefined ? undefined : parseChaosSpec(o.chaos);
  const files = { '--journal': o.journal, '--truth': o.truth, ...others };
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(files)) {
    if (path === undefined) continue;
    const key = resolve(path);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new OvsimError(
        'BAD_INPUT',
        `${flag} ${path} is also ${earlier}: give each output a file of its own`,
      );
    seen.set(key, flag);
  }
  return { spec, journalPath: o.journal, truthPath: o.truth };
}

/** `--chaos` and `--journal` act on the WebHook sender: refused (exit 2) when there is none. */
export function requireWebhook(r: RehearsalOptions, config: OpenviduConfig): void {
  if (config.webhook) return;
  const flag = r.spec !== undefined ? '--chaos' : r.journalPath !== undefined ? '--journal' : undefined;
  if (flag)
    throw new OvsimError(
      'BAD_INPUT',
      `${flag} acts on the WebHook sender, which is off: add --webhook-endpoint URL (or OPENVIDU_WEBHOOK_ENDPOINT)`,
    );
}

/**
 * OpenVidu#521: `OPENVIDU_WEBHOOK_EVENTS=[]` is not "all events" (the shipped `.env` said "leave blank if all
 * events"): OpenVidu then sends no WebHook at all. ovsim does the same, and says so.
 */
export function warnNoWebhookEvents(config: OpenviduConfig, io: CliIo, envFile: string | undefined): void {
  if (!config.webhook || config.webhookEvents.size > 0) return;
  const origin = config.origin.OPENVIDU_WEBHOOK_EVENTS;
  const where =
    origin === 'env-file'
      ? ` (from --env-file ${envFile ?? ''})`
      : origin === 'flag'
        ? ' (from --webhook-events)'
        : ' (from the environment)';
  io.stderr(
    `ovsim: warning: OPENVIDU_WEBHOOK_EVENTS=[]${where} lists no event, so the WebHook sends nothing, as OpenVidu does ` +
      '(OpenVidu#521: an empty list is not "every event"). Remove the line for OpenVidu\'s default, or list the ' +
      'events, e.g. OPENVIDU_WEBHOOK_EVENTS=[sessionCreated,sessionDestroyed,participantJoined,participantLeft]\n',
  );
}

/** The journal's `run` record, with the command line that plays the same events with the same plan of faults. */
export function journalHeader(
  command: 'run' | 'load',
  scenario: string,
  settings: SimulationSettings,
  config: OpenviduConfig,
  spec: ChaosSpec | undefined,
  extra: { readonly speed: string; readonly flags?: readonly string[] },
): JournalHeader {
  const chaos = spec === undefined ? 'none' : formatChaosSpec(spec);
  const start = new Date(settings.start).toISOString();
  const words = [
    'ovsim',
    command,
    scenario,
    '--seed',
    String(settings.seed),
    '--start',
    start,
    '--openvidu-version',
    settings.profile.version,
    '--edition',
    settings.profile.edition,
    '--speed',
    extra.speed,
    ...(extra.flags ?? []),
    '--chaos',
    chaos,
    '--webhook-endpoint',
    config.webhookEndpoint,
  ];
  if (config.origin.OPENVIDU_WEBHOOK_EVENTS !== 'default')
    words.push('--webhook-events', [...config.webhookEvents].join(','));
  if (config.recordingAutostopTimeout !== undefined)
    words.push('--recording-autostop-timeout', String(config.recordingAutostopTimeout));
  return {
    command,
    scenario,
    seed: String(settings.seed),
    start,
    openviduVersion: settings.profile.version,
    edition: settings.profile.edition,
    endpoint: config.webhookEndpoint,
    speed: extra.speed,
    chaos,
    reproduce: words.map(shellWord).join(' '),
  };
}

/**
 * The ground truth of OpenVidu 2 (and the v2-compatibility module, which keeps its ids) and of LiveKit (rooms and
 * participant sids, src/truth/livekit-facts.ts); not of Meet, whose meetings and participants it does not model yet:
 * refused (exit 2) rather than written in ids a Meet consumer never sees.
 */
export function refuseTruthFor(kind: ServerKind, truthPath: string | undefined): void {
  if (truthPath === undefined || kind !== 'meet') return;
  throw new OvsimError(
    'BAD_INPUT',
    "--truth: the ground truth names OpenVidu 2's sessions or LiveKit's rooms and participants, not the meetings of " +
      '--server meet (not built yet); use --server openvidu3 for the rooms underneath',
  );
}

/** What the truth says of the run itself. */
export function truthRunOf(scenario: { readonly name: string }, settings: SimulationSettings): TruthRun {
  return {
    scenario: scenario.name,
    seed: String(settings.seed),
    start: settings.start,
    openviduVersion: settings.profile.version,
    edition: settings.profile.edition,
    ...(settings.server.kind === 'openvidu3'
      ? { server: 'openvidu3' as const, livekitVersion: settings.server.livekit.version }
      : {}),
  };
}

/** The truth's file, opened before the run (a bad path fails first) with the fold that feeds it. */
export interface TruthOutput {
  readonly builder: TruthBuilder;
  readonly sink: TextSink;
  readonly path: string;
}

export async function openTruth(path: string | undefined): Promise<TruthOutput | undefined> {
  if (path === undefined) return undefined;
  return { builder: new TruthBuilder(), sink: await openAtomicFile(path), path };
}

/** Writes and publishes the truth; on a run that did not end well, discards it. */
export async function settleTruth(
  t: TruthOutput | undefined,
  ok: boolean,
  run: TruthRun,
  io: CliIo,
): Promise<void> {
  if (!t) return;
  if (!ok) {
    await t.sink.abort();
    io.stderr(`ovsim: the ground truth was not written to ${t.path}: the run did not end normally\n`);
    return;
  }
  try {
    for (const chunk of formatTruth(t.builder.finish(run))) await t.sink.write(chunk);
    await t.sink.commit();
  } catch (e) {
    await t.sink.abort();
    throw e;
  }
  io.stderr(`ovsim: wrote the ground truth of the run to ${t.path}\n`);
}
