/**
 * The `--chaos` grammar: how a WebHook sender misbehaves, as a comma-separated list of presets and `key=value` items,
 * read left to right (a later item overrides an earlier one, so `stripe,dup=0.2` is Stripe with more duplicates).
 * docs/chaos.md describes every item and every preset with its source.
 *
 *     drop=P            never send an event (probability P: 0.01 or 1%)
 *     dup=P[xK]         send an event K more times (default 1), each copy `dupdelay` after the previous
 *     dupdelay=DIST     default exp:1s
 *     delay=DIST        hold each delivery before it goes out: 200ms | exp:200ms | uniform:100ms..2s
 *     reorder=N         release the events of each window of N in a shuffled order
 *     stall=P:DURATION  at an event, with probability P, the sender stalls that long, then sends what piled up
 *     noack=P           ignore the answer to a delivery's first request, as on a read timeout, and retry the body
 *     retry=SCHEDULE    openvidu | none | svix | stripe | 5s/5m/30m | exp:BASE[:CAP[:MAX]]
 *     accept=200|2xx    which answers are a success
 *
 * Pure: parsing and formatting only; the seeded draws are chaos-plan.ts's.
 */
import { OvsimError } from '../errors.js';
import { parseDuration } from '../model/duration.js';

/** A delay drawn per delivery, ms. */
export type Distribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'exp'; readonly meanMs: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number };

/**
 * Who retries a failed delivery, and when:
 * - `sender`: the sender's own rule (`run`: OpenVidu's 5 attempts back to back on network errors; `load`: `--retry`);
 * - `openvidu`: OpenVidu 2's rule, whatever the command;
 * - `none`: one attempt;
 * - `list`: the waits before each retry (then give up);
 * - `exp`: `base·2^(n−1)` capped at `cap`, `max` retries.
 * `list` and `exp` retry every answer that is not a success, network errors included, without blocking the events
 * behind (as Svix and Stripe do); `openvidu` retries network errors only, at once, in the sender's queue.
 */
export type RetrySchedule =
  | { readonly kind: 'sender' }
  | { readonly kind: 'openvidu' }
  | { readonly kind: 'none' }
  | { readonly kind: 'list'; readonly name: string; readonly delaysMs: readonly number[] }
  | { readonly kind: 'exp'; readonly baseMs: number; readonly capMs: number; readonly max: number };

export interface ChaosSpec {
  readonly drop: number;
  readonly dup: number;
  /** Extra copies of a duplicated event, 1–10. */
  readonly dupCopies: number;
  readonly dupDelay: Distribution;
  readonly delay: Distribution;
  /** Window of the shuffle; 1 keeps the order. */
  readonly reorder: number;
  readonly stall: number;
  readonly stallMs: number;
  readonly noack: number;
  readonly retry: RetrySchedule;
  /** `undefined`: the command's own (`run`: 200; `load`: `--accept`). */
  readonly accept: '200' | '2xx' | undefined;
}

/** No fault at all: the sender's own behaviour, delivered as it is. */
export const NO_CHAOS: ChaosSpec = {
  drop: 0,
  dup: 0,
  dupCopies: 1,
  dupDelay: { kind: 'exp', meanMs: 1000 },
  delay: { kind: 'fixed', ms: 0 },
  reorder: 1,
  stall: 0,
  stallMs: 0,
  noack: 0,
  retry: { kind: 'sender' },
  accept: undefined,
};

/** Svix's documented schedule after the first attempt (docs.svix.com/retries). */
export const SVIX_RETRY_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/**
 * The presets, as items of the grammar (docs/chaos.md gives their sources). Rates that no sender documents are ovsim's
 * choice and say so there.
 */
export const CHAOS_PRESETS: Readonly<Record<string, string>> = {
  none: '',
  // OpenVidu 2.x's HttpWebhookSender: one FIFO worker, 200 only, network errors retried at once up to 5 attempts,
  // any other status dropped without a retry, nothing reported to the receiver.
  openvidu2: 'retry=openvidu,accept=200',
  // Svix: 2xx within 15 s is a success; each failure is retried on its schedule; one message at a time per failure.
  svix: 'retry=svix,accept=2xx',
  // Stripe: at least once, in no guaranteed order, retried with exponential back-off for up to three days.
  stripe: 'dup=0.05,dupdelay=exp:2s,delay=exp:500ms,retry=stripe,accept=2xx',
};

/** Presets of senders ovsim reproduces elsewhere, not yet reachable from OpenVidu 2 events. */
const LATER_PRESETS: Readonly<Record<string, string>> = {
  livekit:
    "LiveKit's notifier (a queue per room, 30 s MaxAge, 200 MaxDepth, go-retryablehttp) sends LiveKit events " +
    '(src/sinks/livekit-notifier.ts); it is available once --server openvidu3 lands',
  meet:
    "OpenVidu Meet's webhook sender (src/sinks/meet-webhook.ts) sends Meet events; it is available once " +
    '--server openvidu3 lands',
};

interface Item {
  readonly text: string;
  /** 1-based column of the item in the option's value. */
  readonly column: number;
}

/**
 * Parses `--chaos` (or another option: `flag` names it in errors).
 * @throws OvsimError BAD_INPUT naming the flag, the item, its column and what is wrong with it
 */
export function parseChaosSpec(text: string, flag = '--chaos'): ChaosSpec {
  const items = splitItems(text);
  if (items.length === 0)
    throw new OvsimError(
      'BAD_INPUT',
      `${flag} is empty: give a preset (${Object.keys(CHAOS_PRESETS).join(', ')}) or items such as dup=0.05,reorder=8`,
    );
  let spec: Mutable<ChaosSpec> = { ...NO_CHAOS };
  for (const item of items) {
    const fail = (why: string) =>
      new OvsimError('BAD_INPUT', `${flag} "${text}": ${item.text} (column ${item.column}): ${why}`);
    const eq = item.text.indexOf('=');
    if (eq < 0) {
      spec = applyPreset(spec, item.text, fail, flag);
      continue;
    }
    applyItem(spec, item.text.slice(0, eq).trim(), item.text.slice(eq + 1).trim(), fail);
  }
  return spec;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function splitItems(text: string): Item[] {
  const items: Item[] = [];
  let start = 0;
  for (const part of text.split(',')) {
    const lead = part.length - part.trimStart().length;
    if (part.trim() !== '') items.push({ text: part.trim(), column: start + lead + 1 });
    start += part.length + 1;
  }
  return items;
}

function applyPreset(
  spec: Mutable<ChaosSpec>,
  name: string,
  fail: (why: string) => OvsimError,
  flag: string,
): Mutable<ChaosSpec> {
  const preset = CHAOS_PRESETS[name];
  if (preset !== undefined) {
    const out = { ...spec };
    for (const item of splitItems(preset)) {
      const eq = item.text.indexOf('=');
      applyItem(out, item.text.slice(0, eq), item.text.slice(eq + 1), (why) =>
        fail(`preset ${name}: ${why}`),
      );
    }
    return out;
  }
  const later = LATER_PRESETS[name];
  if (later !== undefined) throw new OvsimError('BAD_INPUT', `${flag} ${name}: ${later}`);
  throw fail(
    `not a preset (${[...Object.keys(CHAOS_PRESETS), ...Object.keys(LATER_PRESETS)].join(', ')}) ` +
      'nor a key=value item (drop, dup, dupdelay, delay, reorder, stall, noack, retry, accept)',
  );
}

function applyItem(
  spec: Mutable<ChaosSpec>,
  key: string,
  value: string,
  fail: (why: string) => OvsimError,
): void {
  switch (key) {
    case 'drop':
    case 'noack':
      spec[key] = probability(value, fail);
      return;
    case 'dup': {
      const m = /^(.*?)(?:x(\d+))?$/.exec(value) as RegExpExecArray;
      spec.dup = probability(m[1] ?? '', fail);
      const copies = m[2] === undefined ? 1 : Number(m[2]);
      if (!(copies >= 1 && copies <= 10)) throw fail(`x${m[2]}: copies must be 1 to 10`);
      spec.dupCopies = copies;
      return;
    }
    case 'dupdelay':
      spec.dupDelay = distribution(value, fail);
      return;
    case 'delay':
      spec.delay = distribution(value, fail);
      return;
    case 'reorder': {
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(n >= 1 && n <= 10_000)) throw fail(`"${value}" is not a whole number of events from 1 to 10000`);
      spec.reorder = n;
      return;
    }
    case 'stall': {
      const i = value.indexOf(':');
      if (i < 0) throw fail('stall=P:DURATION, e.g. stall=0.01:5s');
      spec.stall = probability(value.slice(0, i), fail);
      spec.stallMs = duration(value.slice(i + 1), fail);
      return;
    }
    case 'retry':
      spec.retry = retrySchedule(value, fail);
      return;
    case 'accept':
      if (value !== '200' && value !== '2xx') throw fail('accept is 200 or 2xx');
      spec.accept = value;
      return;
    default:
      throw fail(`unknown key "${key}" (drop, dup, dupdelay, delay, reorder, stall, noack, retry, accept)`);
  }
}

function probability(text: string, fail: (why: string) => OvsimError): number {
  const m = /^(\d+(?:\.\d+)?)(%)?$/.exec(text.trim());
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0 && v <= 1)) throw fail(`"${text}" is not a probability (0 to 1, or a percentage such as 5%)`);
  return v;
}

function duration(text: string, fail: (why: string) => OvsimError): number {
  const ms = /^\s*$/.test(text) ? undefined : parseDuration(text);
  if (ms === undefined) throw fail(`"${text}" is not a duration (200ms, 2s, 5m, 1h)`);
  return ms;
}

function distribution(text: string, fail: (why: string) => OvsimError): Distribution {
  if (text.startsWith('exp:')) {
    const meanMs = duration(text.slice(4), fail);
    if (meanMs <= 0) throw fail('an exponential delay needs a mean above 0');
    return { kind: 'exp', meanMs };
  }
  if (text.startsWith('uniform:')) {
    const [a, b, extra] = text.slice(8).split('..');
    if (a === undefined || b === undefined || extra !== undefined)
      throw fail('uniform:MIN..MAX, e.g. uniform:100ms..2s');
    const minMs = duration(a, fail);
    const maxMs = duration(b, fail);
    if (maxMs < minMs) throw fail(`uniform: ${b} is below ${a}`);
    return { kind: 'uniform', minMs, maxMs };
  }
  if (/^[a-z]+:/.test(text)) throw fail(`"${text}": a delay is DURATION, exp:MEAN or uniform:MIN..MAX`);
  return { kind: 'fixed', ms: duration(text, fail) };
}

/** Stripe does not publish its intervals: exponential from 1 min, capped at 12 h, 14 retries (≈ 65 h ≤ 3 days). */
const STRIPE_RETRY: RetrySchedule = { kind: 'exp', baseMs: 60_000, capMs: 43_200_000, max: 14 };

function retrySchedule(text: string, fail: (why: string) => OvsimError): RetrySchedule {
  switch (text) {
    case 'openvidu':
      return { kind: 'openvidu' };
    case 'none':
      return { kind: 'none' };
    case 'svix':
      return { kind: 'list', name: 'svix', delaysMs: SVIX_RETRY_MS };
    case 'stripe':
      return STRIPE_RETRY;
  }
  if (text.startsWith('exp:')) {
    const [base, cap, max, extra] = text.slice(4).split(':');
    if (base === undefined || extra !== undefined) throw fail('exp:BASE[:CAP[:MAX]], e.g. exp:1s:1m:5');
    const baseMs = duration(base, fail);
    const capMs = cap === undefined ? Math.max(baseMs, 3_600_000) : duration(cap, fail);
    const n = max === undefined ? 5 : /^\d+$/.test(max) ? Number(max) : NaN;
    if (!(n >= 0 && n <= 100)) throw fail(`"${max ?? ''}" is not a number of retries from 0 to 100`);
    return { kind: 'exp', baseMs, capMs, max: n };
  }
  const parts = text.split('/');
  const delaysMs = parts.map((p) => duration(p, fail));
  if (delaysMs.length > 100) throw fail('at most 100 retries');
  return { kind: 'list', name: text, delaysMs };
}

/** The wait before retry `n` (1-based) after `n` failed attempts; `undefined`: give up. */
export function retryDelayMs(schedule: RetrySchedule, n: number): number | undefined {
  switch (schedule.kind) {
    case 'list':
      return schedule.delaysMs[n - 1];
    case 'exp':
      return n > schedule.max ? undefined : Math.min(schedule.capMs, schedule.baseMs * 2 ** (n - 1));
    default:
      return undefined;
  }
}

/** Whether the chaos layer retries (a `list` or `exp` schedule) rather than the sender. */
export function retriesScheduled(schedule: RetrySchedule): boolean {
  return schedule.kind === 'list' || schedule.kind === 'exp';
}

/** Whether the spec changes anything the sender does on its own. */
export function injectsFaults(s: ChaosSpec): boolean {
  return s.drop > 0 || s.dup > 0 || delays(s.delay) || s.reorder > 1 || s.stall > 0 || s.noack > 0;
}

const delays = (d: Distribution) => d.kind !== 'fixed' || d.ms > 0;

/** The spec as items of the grammar, defaults left out, in a fixed order: `parseChaosSpec` reads it back. */
export function formatChaosSpec(s: ChaosSpec): string {
  const items: string[] = [];
  if (s.drop > 0) items.push(`drop=${s.drop}`);
  if (s.dup > 0) items.push(`dup=${s.dup}${s.dupCopies > 1 ? `x${s.dupCopies}` : ''}`);
  if (s.dup > 0 && !sameDistribution(s.dupDelay, NO_CHAOS.dupDelay))
    items.push(`dupdelay=${formatDistribution(s.dupDelay)}`);
  if (delays(s.delay)) items.push(`delay=${formatDistribution(s.delay)}`);
  if (s.reorder > 1) items.push(`reorder=${s.reorder}`);
  if (s.stall > 0) items.push(`stall=${s.stall}:${formatMs(s.stallMs)}`);
  if (s.noack > 0) items.push(`noack=${s.noack}`);
  if (s.retry.kind !== 'sender') items.push(`retry=${formatRetry(s.retry)}`);
  if (s.accept !== undefined) items.push(`accept=${s.accept}`);
  return items.length === 0 ? 'none' : items.join(',');
}

function sameDistribution(a: Distribution, b: Distribution): boolean {
  return formatDistribution(a) === formatDistribution(b);
}

export function formatDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'fixed':
      return formatMs(d.ms);
    case 'exp':
      return `exp:${formatMs(d.meanMs)}`;
    case 'uniform':
      return `uniform:${formatMs(d.minMs)}..${formatMs(d.maxMs)}`;
  }
}

function formatRetry(r: RetrySchedule): string {
  switch (r.kind) {
    case 'list':
      return r.name === 'svix' ? 'svix' : r.delaysMs.map(formatMs).join('/');
    case 'exp':
      return r === STRIPE_RETRY ? 'stripe' : `exp:${formatMs(r.baseMs)}:${formatMs(r.capMs)}:${r.max}`;
    default:
      return r.kind;
  }
}

/** `250ms`, `2s`, `5m`, `2h`: the largest unit that divides the value. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
