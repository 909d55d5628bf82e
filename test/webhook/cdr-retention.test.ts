import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../src/engine/engine.js';
import { Profile } from '../../src/model/profile.js';
import { CdrFileSink, cdrFileName, formatCdrConsoleLine, logbackDate } from '../../src/sinks/cdr-file.js';
import { tempDir } from './helpers.js';

const DAY = 86_400_000;
const START = Date.parse('2024-03-01T10:20:30.000Z');

function batchAt(t: number, id: string, padding = 0): Batch {
  return {
    at: t,
    cause: { kind: 'timer', label: 'test' },
    events: [
      {
        name: 'sessionCreated',
        data: { sessionId: id + 'x'.repeat(padding), uniqueSessionId: `${id}_${t}`, timestamp: t },
      },
    ],
  };
}

/** The file name of virtual day `d` (0 = the start day) of the run started at START. */
const nameOfDay = (d: number) => cdrFileName(START, START + d * DAY);

describe('CDR file retention (logback MaxHistory 30)', () => {
  it('after 40 virtual days keeps the current day and the 30 before it, deleting only its own expired files', () => {
    const dir = tempDir();
    // Not produced by this run's pattern: another run's file (other HH-mm-ss), an unrelated file, a look-alike.
    const foreign = ['CDR.2024-03-01_09-00-00.log', 'notes.txt', `CDR.2024-03-02_10-20-30.log.gz`];
    for (const f of foreign) writeFileSync(join(dir, f), 'keep me\n');
    const sink = new CdrFileSink({ dir, serverStart: START, profile: new Profile('2.32') });
    for (let d = 0; d < 40; d++) sink.writeBatch(batchAt(START + d * DAY + 1000, `s${d}`));
    sink.close();
    const kept = Array.from({ length: 31 }, (_, i) => nameOfDay(9 + i));
    expect(readdirSync(dir).sort()).toEqual([...foreign, ...kept].sort());
    expect(sink.deleted.map((p) => p.slice(dir.length + 1))).toEqual(
      Array.from({ length: 9 }, (_, i) => nameOfDay(i)),
    );
    expect(sink.files).toHaveLength(40);
  });

  it('a jump of many days at once removes every expired day, as logback counts the periods elapsed', () => {
    const dir = tempDir();
    const sink = new CdrFileSink({ dir, serverStart: START, profile: new Profile('2.32') });
    for (let d = 0; d < 6; d++) sink.writeBatch(batchAt(START + d * DAY + 1000, `s${d}`));
    // Days 32..35 fall inside the window of day 36 and must survive; days 0..5 must go.
    for (let d = 32; d < 36; d++) sink.writeBatch(batchAt(START + d * DAY + 1000, `s${d}`));
    sink.writeBatch(batchAt(START + 60 * DAY, 'late'));
    sink.close();
    expect(readdirSync(dir).sort()).toEqual([32, 33, 34, 35, 60].map(nameOfDay).sort());
  });

  it('keeps exactly 31 dates on the day a file turns 31 days old', () => {
    const dir = tempDir();
    const sink = new CdrFileSink({ dir, serverStart: START, profile: new Profile('2.32') });
    for (let d = 0; d <= 30; d++) sink.writeBatch(batchAt(START + d * DAY + 1000, `s${d}`));
    expect(readdirSync(dir)).toHaveLength(31);
    sink.writeBatch(batchAt(START + 31 * DAY + 1000, 's31'));
    sink.close();
    expect(readdirSync(dir)).toHaveLength(31);
    expect(readdirSync(dir)).not.toContain(nameOfDay(0));
  });
});

describe('CDR file retention (logback TotalSizeCap)', () => {
  it('deletes the oldest files once the newest-first total exceeds the cap, never the current file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'other.log'), 'x'.repeat(10_000));
    const profile = new Profile('2.32');
    const line = profile.serializeCdr(batchAt(START, 's0', 400).events[0]!)!;
    const size = Buffer.byteLength(line + '\n');
    // Room for 3 files of one line each, not 4.
    const sink = new CdrFileSink({ dir, serverStart: START, profile, totalSizeCap: size * 3 + 10 });
    for (let d = 0; d < 6; d++) sink.writeBatch(batchAt(START + d * DAY + 1000, 's0', 400));
    sink.close();
    // At the roll into day 5 its file is empty; days 4, 3 and 2 fit, 1 and 0 were already removed earlier.
    expect(readdirSync(dir).sort()).toEqual(['other.log', ...[2, 3, 4, 5].map(nameOfDay)].sort());
    const tiny = new CdrFileSink({
      dir: tempDir(),
      serverStart: START,
      profile,
      totalSizeCap: 1,
    });
    tiny.writeBatch(batchAt(START + 1000, 'a', 400));
    tiny.writeBatch(batchAt(START + DAY + 1000, 'b', 400));
    tiny.writeBatch(batchAt(START + DAY + 2000, 'c', 400));
    tiny.writeBatch(batchAt(START + 2 * DAY + 1000, 'd', 400));
    tiny.close();
    // The current file survives even when it alone exceeds the cap; the previous one does not.
    expect(tiny.deleted.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual([nameOfDay(0), nameOfDay(1)]);
  });
});

describe('CDR console echo', () => {
  it('prints every CDR line in OpenVidu console format, in order, with the virtual time', () => {
    const dir = tempDir();
    let out = '';
    const sink = new CdrFileSink({
      dir,
      serverStart: START,
      profile: new Profile('2.32'),
      echo: (t) => void (out += t),
    });
    sink.writeBatch(batchAt(START + 1234, 'a'));
    sink.writeBatch({
      ...batchAt(START + 5000, 'b'),
      cause: { kind: 'action', action: { type: 'stopServer', args: {} }, origin: undefined },
    });
    sink.close();
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[INFO\] 2024-03-01 10:20:31,234 \[scheduling-1\] io\.openvidu\.server\.cdr\.CDRLoggerFile - \{"sessionCreated":\{.*"sessionId":"a"/,
    );
    expect(lines[1]).toContain(
      '[SpringApplicationShutdownHook] io.openvidu.server.cdr.CDRLoggerFile - {"sessionCreated"',
    );
    expect(logbackDate(Date.parse('2024-12-31T23:59:59.007Z'))).toBe('2024-12-31 23:59:59,007');
    expect(formatCdrConsoleLine('{}', 0, 'y'.repeat(85))).toBe(
      `[INFO] 1970-01-01 00:00:00,000 [${'y'.repeat(80)}] io.openvidu.server.cdr.CDRLoggerFile - {}\n`,
    );
  });
});
