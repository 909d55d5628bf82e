/** `--livekit-config`: livekit.yaml's webhook block read as LiveKit reads it, and bad files located. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGoDuration, readLivekitConfig } from '../../src/config/livekit-config.js';
import { tempDir } from '../webhook/helpers.js';

function file(text: string, name = 'livekit.yaml'): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

describe('livekit.yaml', () => {
  it("reads keys, the webhook's key, URLs, filter and queue limits", () => {
    const c = readLivekitConfig(
      file(
        [
          'port: 7880',
          'keys:',
          '  devkey: devsecret-of-at-least-32-characters',
          '  other: another-secret',
          'webhook:',
          '  api_key: devkey',
          '  urls:',
          '    - http://127.0.0.1:9001/hooks',
          '    - https://consumer.example/lk',
          '  filter_params:',
          '    include_events: [room_started, room_finished]',
          '  resource_url_notifier:',
          '    max_age: 1m30s',
          '    max_depth: 50',
          'room:',
          '  empty_timeout: 300',
        ].join('\n'),
      ),
    );
    expect(c).toMatchObject({
      apiKey: 'devkey',
      apiSecret: 'devsecret-of-at-least-32-characters',
      urls: ['http://127.0.0.1:9001/hooks', 'https://consumer.example/lk'],
      includeEvents: ['room_started', 'room_finished'],
      excludeEvents: [],
      maxAgeMs: 90_000,
      maxDepth: 50,
    });
  });

  it("LiveKit's defaults: 30 s, 200, no filter; the secret from key_file", () => {
    const keys = file('devkey: from-the-key-file\n', 'keys.yaml');
    const c = readLivekitConfig(
      file(`key_file: ${keys}\nwebhook:\n  api_key: devkey\n  urls: [http://h/]\n`),
    );
    expect(c).toMatchObject({ apiSecret: 'from-the-key-file', maxAgeMs: 30_000, maxDepth: 200 });
  });

  it.each([
    ['webhook:\n  urls: [http://h/]\n', /livekit\.yaml:2:\d+: webhook\.api_key: api_key is required/],
    [
      'keys: {a: b}\nwebhook:\n  api_key: nope\n  urls: [http://h/]\n',
      /:3:\d+: webhook\.api_key: "nope" is not one of keys/,
    ],
    [
      'keys: {a: b}\nwebhook:\n  api_key: a\n  urls: [ftp://h/]\n',
      /:4:\d+: webhook\.urls\[0\]: "ftp:\/\/h\/" is not an http/,
    ],
    [
      'webhook:\n  filter_params:\n    include_events: [room_started, room_closed]\n',
      /:3:\d+: webhook\.filter_params\.include_events\[1\]: "room_closed" is not a LiveKit webhook event/,
    ],
    [
      'webhook:\n  resource_url_notifier:\n    max_age: 30\n',
      /:3:\d+: webhook\.resource_url_notifier\.max_age: "30" is not a Go duration/,
    ],
    ['webhook:\n  urls: http://h/\n', /:2:\d+: webhook\.urls: must be a list/],
    ['webhook: [\n', /livekit\.yaml:\d+:\d+: not YAML/],
  ])('%j is refused at its line', (text, message) => {
    expect(() => readLivekitConfig(file(text))).toThrow(message);
  });

  it('a missing file names itself', () => {
    expect(() => readLivekitConfig('/nonexistent/livekit.yaml')).toThrow(
      /--livekit-config \/nonexistent\/livekit\.yaml: cannot be read/,
    );
  });

  it("parses Go's durations", () => {
    expect(parseGoDuration('30s')).toBe(30_000);
    expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('30')).toBeUndefined();
    expect(parseGoDuration('s')).toBeUndefined();
  });
});
