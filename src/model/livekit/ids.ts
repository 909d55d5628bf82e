/**
 * LiveKit identifiers and clocks. `guid.New(prefix)` (livekit/protocol `utils/guid/id.go`) appends `Size` = 12
 * characters of `shortuuid.DefaultAlphabet` (base57: no `0`, `1`, `I`, `O`, `l`) drawn by rejection sampling of 6-bit
 * chunks from a ChaCha8 stream; ovsim draws the same way from a seeded stream instead, so ids repeat with the seed.
 */

/** `shortuuid.DefaultAlphabet`, the 57 characters of LiveKit ids. */
export const LIVEKIT_ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** `guid.Size`: characters after the prefix. */
export const LIVEKIT_ID_SIZE = 12;

/** The prefixes of the resources ovsim simulates (`guid.RoomPrefix`, …). */
export const LIVEKIT_ID_PREFIX = {
  room: 'RM_',
  participant: 'PA_',
  track: 'TR_',
  egress: 'EG_',
  ingress: 'IN_',
  event: 'EV_',
} as const;

export type LivekitIdKind = keyof typeof LIVEKIT_ID_PREFIX;

/** Matches any id of the kind: prefix and 12 base57 characters. */
export function livekitIdPattern(kind: LivekitIdKind): RegExp {
  return new RegExp(`^${LIVEKIT_ID_PREFIX[kind]}[${LIVEKIT_ID_ALPHABET}]{${LIVEKIT_ID_SIZE}}$`);
}

/**
 * Makes LiveKit ids from `random`, a seeded uniform stream in [0, 1) (an engine `Rng#next`). Each draw yields 32
 * bits, used as five 6-bit chunks; chunks of 57 and above are rejected, as `readIDChars` rejects them.
 */
export class LivekitIds {
  private bits = 0;
  private chunksLeft = 0;

  constructor(private readonly random: () => number) {}

  /** A new id of the kind, e.g. `RM_ZcJFuN42JpfG`. */
  next(kind: LivekitIdKind): string {
    let id = LIVEKIT_ID_PREFIX[kind];
    while (id.length < LIVEKIT_ID_PREFIX[kind].length + LIVEKIT_ID_SIZE) {
      const chunk = this.nextChunk();
      if (chunk < LIVEKIT_ID_ALPHABET.length) id += LIVEKIT_ID_ALPHABET[chunk];
    }
    return id;
  }

  private nextChunk(): number {
    if (this.chunksLeft === 0) {
      this.bits = Math.floor(this.random() * 2 ** 32) >>> 0;
      this.chunksLeft = 5;
    }
    const chunk = this.bits & 0x3f;
    this.bits >>>= 6;
    this.chunksLeft--;
    return chunk;
  }
}

/** Seconds since the epoch, as Go's `time.Unix()` (rounds down). */
export function unixSeconds(epochMs: number): bigint {
  return BigInt(Math.floor(epochMs / 1000));
}

/** Milliseconds since the epoch, as `time.UnixMilli()`. */
export function unixMillis(epochMs: number): bigint {
  return BigInt(Math.floor(epochMs));
}

/**
 * Microseconds since the epoch (`TimedVersion.unixMicro`). Virtual time is in milliseconds: `subMs` in [0, 1000)
 * adds the microseconds a real clock would show.
 */
export function unixMicros(epochMs: number, subMs = 0): bigint {
  return BigInt(Math.floor(epochMs)) * 1000n + BigInt(checkSub(subMs, 1000));
}

/** Nanoseconds since the epoch (egress times, `time.Now().UnixNano()`); `subMs` in [0, 1e6). */
export function unixNanos(epochMs: number, subMs = 0): bigint {
  return BigInt(Math.floor(epochMs)) * 1_000_000n + BigInt(checkSub(subMs, 1_000_000));
}

function checkSub(sub: number, limit: number): number {
  if (!Number.isInteger(sub) || sub < 0 || sub >= limit)
    throw new RangeError(`sub-millisecond part ${sub} not in [0, ${limit})`);
  return sub;
}
