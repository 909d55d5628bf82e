/**
 * `ovsim generate`: a scenario run on virtual time as fast as possible, written as JSON Lines.
 */
import type { Batch } from '../engine/engine.js';
import { OUTPUT_FIELDS } from '../engine/partitioned-run.js';
import { GeneratedScenario } from '../generate/scenario-batches.js';
import { BufferPool, ByteBuffer } from '../model/byte-writer.js';
import type { CdrEvent, EventName } from '../model/catalogue.js';
import type { Fact } from '../model/facts.js';
import type { Profile } from '../model/profile.js';
import { bodyRenderer } from '../model/ov3/server-wire.js';
import type { Scenario } from '../scenario/scenario.js';
import { simulateScenario, type SimulationSettings } from '../scenario/simulate-scenario.js';
import type { TextSink } from '../sinks/atomic-file.js';
import { elasticIds, elasticLineWriter, type ElasticIds } from '../sinks/elastic-format.js';
import { RunSummary } from './summary.js';

/** CDR lines, WebHook bodies, or OpenVidu Pro's Elasticsearch documents (elastic-format.ts). */
export type OutputFormat = 'cdr' | 'webhook' | 'elastic';

/** The facts of each step of a run, in order (a generated run's by segment). */
function* factsOf(source: Iterable<Batch>): Generator<readonly Fact[]> {
  if (source instanceof GeneratedScenario) {
    while (source.next()) {
      const { facts, segments, segmentsLength } = source;
      for (let i = 0; i < segmentsLength; i += OUTPUT_FIELDS)
        yield facts.slice(segments[i + 3]!, segments[i + 4]!);
    }
    return;
  }
  for (const batch of source) yield batch.facts ?? [];
}

/** Optional parts of a generation run. */
export interface GenerateHooks {
  /** Where the batches come from; default the scenario's steps (`simulateScenario`). */
  readonly batches?: Iterable<Batch>;
  /** Called after each write to the sink (about every 64 KiB), e.g. to draw progress. */
  readonly onWrite?: (summary: RunSummary) => void;
  /** Checked at each write: once aborted, generation stops by throwing the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Appends one event as a line of the chosen format (UTF-8, newline included) to `out`; false, writing nothing, when
 * the profile does not write the event.
 */
export function lineWriterOf(
  profile: Profile,
  format: OutputFormat,
  out: ByteBuffer,
  elastic: ElasticIds = elasticIds(undefined),
): (event: CdrEvent) => boolean {
  if (format === 'elastic') return elasticLineWriter(profile, out, elastic);
  return format === 'cdr'
    ? (event) => profile.writeCdrLine(event, out)
    : (event) => profile.writeWebhook(event, out, true);
}

/**
 * Appends the line of a fact in the chosen format to `out` and returns its event's name; undefined, writing nothing,
 * when the profile writes nothing for it. No event object is made (see Profile.writeFactCdr).
 */
export function factWriterOf(
  profile: Profile,
  format: OutputFormat,
  out: ByteBuffer,
): (fact: Fact) => EventName | undefined {
  // Elastic documents carry the cluster's ids, so generate writes them from events with one generator.
  if (format === 'elastic') throw new Error('elastic documents are written by lineWriterOf, not from facts');
  return format === 'cdr'
    ? (fact) => profile.writeFactCdr(fact, out)
    : (fact) => profile.writeFactWebhook(fact, out, true);
}

/**
 * Appends the bodies an OpenVidu 3 flavour POSTs for a fact, one per line, counting each in `summary`. Stateful:
 * one writer per run, every fact once, in order.
 */
export function bodyWriterOf(
  settings: SimulationSettings,
  out: ByteBuffer,
  summary: RunSummary,
): (fact: Fact) => void {
  const render = bodyRenderer(settings.server, settings.profile);
  const emit = (name: string, at: number, body: string) => {
    appendLine(out, body);
    summary.count(name, at);
  };
  return (fact) => render(fact, emit);
}

const encoder = new TextEncoder();

/** `text` and a newline, as UTF-8. */
function appendLine(out: ByteBuffer, text: string): void {
  out.reserve(text.length * 3 + 1);
  const { written } = encoder.encodeInto(text, out.buf.subarray(out.pos));
  out.pos += written;
  out.buf[out.pos++] = 0x0a;
}

/** Bytes gathered before each write to the sink. */
const WRITE_BYTES = 1024 * 1024;

/**
 * Writes every event of the scenario to `sink` (not committed here: the caller commits on success, aborts on error).
 * Lines are written as bytes in chunks of about 64 KiB; back-pressure is respected.
 */
export async function generateScenario(
  scenario: Scenario,
  settings: SimulationSettings,
  format: OutputFormat,
  sink: TextSink,
  hooks: GenerateHooks = {},
): Promise<RunSummary> {
  const summary = new RunSummary();
  const out = new ByteBuffer(WRITE_BYTES * 2);
  const pool = new BufferPool();
  const flush = async () => {
    hooks.signal?.throwIfAborted();
    // Waits for the disk only under back-pressure, but yields to the event loop at every chunk either way: the
    // stream's completions run and its next write starts while we generate (without yielding, the stream sat idle
    // until its queue was full, then the generator sat idle until the queue was empty).
    const bytes = out.take(pool.get());
    await (sink.write(bytes, () => pool.put(bytes.buffer)) ?? new Promise(setImmediate));
    hooks.onWrite?.(summary);
  };
  const source = hooks.batches ?? simulateScenario(scenario, settings);
  if (settings.server.kind !== 'openvidu2') {
    const writeFacts = bodyWriterOf(settings, out, summary);
    for (const facts of factsOf(source)) {
      for (const fact of facts) writeFacts(fact);
      if (out.pos >= WRITE_BYTES) await flush();
    }
  } else if (source instanceof GeneratedScenario && format !== 'elastic') {
    // A generated run: its facts are written as bytes straight away, with no batch or event object in between.
    const writeFact = factWriterOf(settings.profile, format, out);
    while (source.next()) {
      const { facts, segments, segmentsLength } = source;
      for (let i = 0; i < segmentsLength; i += OUTPUT_FIELDS) {
        for (let k = segments[i + 3]!; k < segments[i + 4]!; k++) {
          const fact = facts[k]!;
          const name = writeFact(fact);
          if (name !== undefined) summary.count(name, fact.at);
        }
      }
      if (out.pos >= WRITE_BYTES) await flush();
    }
  } else {
    const writeLine = lineWriterOf(settings.profile, format, out, elasticIds(settings.engine.cluster?.id));
    for (const batch of source) {
      for (const event of batch.events) if (writeLine(event)) summary.add(event);
      if (out.pos >= WRITE_BYTES) await flush();
    }
  }
  if (out.pos > 0) await sink.write(out.take());
  return summary;
}
