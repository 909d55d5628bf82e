/**
 * How the simulated browser behind a connection created through the OpenVidu REST API behaves: it joins after a
 * delay, publishes or not, stays for a drawn duration and leaves with a reason (`auto`), or waits for explicit moves
 * through the control API (`manual`). Set per server (`ovsim serve --client-policy`, `PUT /api/client-policy`), per
 * session (`PUT /api/client-policy/sessions/{id}` or the `X-Ovsim-Client-Policy` header of `POST /sessions`) or per
 * connection (the same header on `POST …/connection`).
 *
 * Durations are distributions of virtual time: `2s` (fixed), `1s..3s` (uniform), `exp:30s` (exponential with that
 * mean), or `forever` where allowed.
 */
import { z } from 'zod';
import type { Rng } from '../../engine/rng.js';
import { OvsimError } from '../../errors.js';
import { parseDuration } from '../../model/duration.js';

/** A distribution of virtual durations, in ms. */
export type Distribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'forever' };

/** Parses `2s`, `1s..3s`, `exp:30s`, `forever` (seconds when bare numbers); undefined if not one. */
export function parseDistribution(v: unknown, allowForever: boolean): Distribution | undefined {
  if (typeof v === 'number') {
    const ms = parseDuration(v);
    return ms === undefined ? undefined : { kind: 'fixed', ms };
  }
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  if (text === 'forever') return allowForever ? { kind: 'forever' } : undefined;
  const exp = /^exp:(.+)$/.exec(text);
  if (exp) {
    const mean = parseDuration(exp[1] ?? '');
    return mean === undefined ? undefined : { kind: 'exponential', mean };
  }
  const range = /^(.+?)\s*\.\.\s*(.+)$/.exec(text);
  if (range) {
    const min = parseDuration(range[1] ?? '');
    const max = parseDuration(range[2] ?? '');
    return min === undefined || max === undefined || max < min ? undefined : { kind: 'uniform', min, max };
  }
  const ms = parseDuration(text);
  return ms === undefined ? undefined : { kind: 'fixed', ms };
}

/** Draws one duration in whole ms; `undefined` for `forever`. */
export function drawMs(rng: Rng, d: Distribution): number | undefined {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'uniform':
      return rng.int(d.min, d.max);
    case 'exponential':
      return Math.round(rng.exponential(d.mean));
    case 'forever':
      return undefined;
  }
}

const DIST_MESSAGE = 'a duration such as 2s, a range 1s..3s, exp:30s';

const dist = (allowForever: boolean) =>
  z.union([z.number(), z.string()]).transform((v, ctx): Distribution => {
    const d = parseDistribution(v, allowForever);
    if (!d) {
      ctx.addIssue({
        code: 'custom',
        message: `"${String(v)}" is not ${DIST_MESSAGE}${allowForever ? ' or forever' : ''}`,
      });
      return z.NEVER;
    }
    return d;
  });

const policySchema = z.strictObject({
  /** `auto` (default): the client acts by itself; `manual`: it waits for `POST /api/clients/{connectionId}/…`. */
  mode: z.enum(['auto', 'manual']).optional(),
  /** Delay from the connection's creation to the client's join; default `1s..3s`. */
  join: dist(false).optional(),
  /** Whether it publishes once joined: true, false or a probability; default true (never with role SUBSCRIBER). */
  publish: z.union([z.boolean(), z.number().min(0).max(1)]).optional(),
  /** Delay from joining to publishing; default `500ms..1500ms`. */
  publishAfter: dist(false).optional(),
  /** What it publishes: default a camera with audio and video. */
  videoSource: z.enum(['CAMERA', 'SCREEN', 'CUSTOM']).optional(),
  audio: z.boolean().optional(),
  video: z.boolean().optional(),
  /** How long it stays connected, from its join; default `forever` (until the application removes it). */
  stay: dist(true).optional(),
  /** How it leaves when its stay ends; default `disconnect`. */
  leaveReason: z.enum(['disconnect', 'networkDisconnect']).optional(),
  /** Sent at join like openvidu-browser would; default drawn by the simulator. */
  platform: z.string().optional(),
  clientData: z.string().optional(),
});

/** A complete policy (defaults filled in). */
export interface ClientPolicy {
  readonly mode: 'auto' | 'manual';
  readonly join: Distribution;
  readonly publish: boolean | number;
  readonly publishAfter: Distribution;
  readonly videoSource: 'CAMERA' | 'SCREEN' | 'CUSTOM';
  readonly audio: boolean;
  readonly video: boolean;
  readonly stay: Distribution;
  readonly leaveReason: 'disconnect' | 'networkDisconnect';
  readonly platform: string | undefined;
  readonly clientData: string | undefined;
}

/** The default: join after 1–3 s, publish a camera 0.5–1.5 s later, stay until the application removes it. */
export const DEFAULT_CLIENT_POLICY: ClientPolicy = {
  mode: 'auto',
  join: { kind: 'uniform', min: 1000, max: 3000 },
  publish: true,
  publishAfter: { kind: 'uniform', min: 500, max: 1500 },
  videoSource: 'CAMERA',
  audio: true,
  video: true,
  stay: { kind: 'forever' },
  leaveReason: 'disconnect',
  platform: undefined,
  clientData: undefined,
};

/**
 * Parses a policy: a preset name (`auto`, `manual`), a JSON text, or an object; fields not given come from `base`.
 * @param field names the input in error messages (an option, a header, a body)
 * @throws OvsimError BAD_INPUT naming the field
 */
export function parseClientPolicy(
  input: unknown,
  field: string,
  base: ClientPolicy = DEFAULT_CLIENT_POLICY,
): ClientPolicy {
  let value = input;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === 'auto' || text === 'manual') return { ...base, mode: text };
    try {
      value = JSON.parse(text);
    } catch {
      throw new OvsimError(
        'BAD_INPUT',
        `${field}: "auto", "manual" or a JSON object is required (see the README's client policies)`,
      );
    }
  }
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [field, ...(issue?.path ?? []).map(String)].join('.');
    if (issue?.code === 'unrecognized_keys') {
      throw new OvsimError(
        'BAD_INPUT',
        `${path}.${issue.keys[0]}: unknown field (fields: ${Object.keys(policySchema.shape).join(', ')})`,
      );
    }
    throw new OvsimError('BAD_INPUT', `${path}: ${issue?.message ?? 'invalid'}`);
  }
  const p = parsed.data;
  return {
    mode: p.mode ?? base.mode,
    join: p.join ?? base.join,
    publish: p.publish ?? base.publish,
    publishAfter: p.publishAfter ?? base.publishAfter,
    videoSource: p.videoSource ?? base.videoSource,
    audio: p.audio ?? base.audio,
    video: p.video ?? base.video,
    stay: p.stay ?? base.stay,
    leaveReason: p.leaveReason ?? base.leaveReason,
    platform: p.platform ?? base.platform,
    clientData: p.clientData ?? base.clientData,
  };
}

/** The policy as JSON (distributions written back as text), for `GET /api/client-policy`. */
export function describeClientPolicy(p: ClientPolicy): Record<string, unknown> {
  return { ...p, join: distText(p.join), publishAfter: distText(p.publishAfter), stay: distText(p.stay) };
}

function distText(d: Distribution): string {
  switch (d.kind) {
    case 'fixed':
      return `${d.ms}ms`;
    case 'uniform':
      return `${d.min}ms..${d.max}ms`;
    case 'exponential':
      return `exp:${d.mean}ms`;
    case 'forever':
      return 'forever';
  }
}
