import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const golden = (name: string) =>
  readFileSync(new URL(`../golden/${name}.cdr.jsonl`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n');
const faults = golden('pro-node-faults');
const day = golden('pro-day');
const indexOf = (lines: readonly string[], pred: (l: string) => boolean, from = 0) =>
  lines.findIndex((l, i) => i >= from && pred(l));
const errorsOnly = (out: string[]) => out.filter((l) => !l.startsWith('warning '));

describe('Pro crash cascade (spec §4.8)', () => {
  const crash = indexOf(faults, (l) => l.startsWith('{"nodeCrashed"'));
  const crashedId = (JSON.parse(faults[crash]!) as { nodeCrashed: { id: string } }).nodeCrashed.id;
  const terminating = indexOf(
    faults,
    (l) => l.includes('"newStatus":"terminating"') && l.includes(crashedId),
    crash,
  );

  it('accepts the bundled node-fault scenario', () => {
    expect(check(faults)).toEqual([]);
  });

  it('catches a crashed node that terminates while its session is still open', () => {
    const destroyed = indexOf(faults, (l) => l.startsWith('{"sessionDestroyed"'), crash);
    const broken = faults.filter((_, i) => i !== destroyed);
    expect(errorsOnly(check(broken))).toContain(
      `f.log:${destroyed + 1}: node-crash-cascade: media node ${crashedId} terminated while session ProductWebinar, lost in its crash (line ${crash + 1}), was never destroyed`,
    );
  });

  it('catches a session of a crashed node closed with another reason, or its recording made ready', () => {
    const destroyed = indexOf(faults, (l) => l.startsWith('{"sessionDestroyed"'), crash);
    const reasoned = faults.map((l, i) =>
      i === destroyed ? l.replace('"reason":"nodeCrashed"', '"reason":"sessionClosedByServer"') : l,
    );
    expect(
      errorsOnly(check(reasoned)).some((l) =>
        l.includes(
          'node-crash-cascade: sessionDestroyed with reason "sessionClosedByServer" but session ProductWebinar was lost',
        ),
      ),
    ).toBe(true);
    const stopped = indexOf(
      faults,
      (l) => l.includes('"status":"stopped","') || l.includes('"status":"stopped"}'),
      crash,
    );
    const ready = faults[stopped]!.replace('"status":"stopped"', '"status":"ready"')
      .replace('"size":0', '"size":1000')
      .replace('"duration":0.0', '"duration":5.0');
    const withReady = [...faults.slice(0, stopped + 1), ready, ...faults.slice(stopped + 1)];
    expect(
      errorsOnly(check(withReady)).some(
        (l) =>
          l.includes('recording ready but session ProductWebinar was lost') &&
          l.includes('Pro leaves it at stopped'),
      ),
    ).toBe(true);
  });

  it('catches a crashed node whose next status is not terminating, and nodeRecovered without nodeCrashed', () => {
    const sideways = faults.map((l, i) =>
      i === terminating
        ? l.replace('"newStatus":"terminating"', '"newStatus":"waiting-idle-to-terminate"')
        : l,
    );
    expect(errorsOnly(check(sideways))).toContain(
      `f.log:${terminating + 1}: node-crash-cascade: media node ${crashedId} crashed (line ${crash + 1}): its next status must be terminating, not waiting-idle-to-terminate`,
    );
    const recovered = indexOf(faults, (l) => l.startsWith('{"nodeRecovered"'));
    const crash2 = indexOf(faults, (l) => l.startsWith('{"nodeCrashed"'), crash + 1);
    expect(errorsOnly(check(faults.filter((_, i) => i !== crash2)))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^f\\.log:${recovered}: node-crash-cascade: nodeRecovered for media node \\S+ without a nodeCrashed before it$`,
        ),
      ),
    );
  });

  it('only warns about a nodeRecovered whose crash may precede the input (a daily file starting mid-incident)', () => {
    const crash2 = indexOf(faults, (l) => l.startsWith('{"nodeCrashed"'), crash + 1);
    const recovered = indexOf(faults, (l) => l.startsWith('{"nodeRecovered"'));
    const fragment = faults.slice(crash2 + 1);
    const found = check(fragment);
    expect(errorsOnly(found)).toEqual([]);
    expect(found).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^warning f\\.log:${recovered - crash2}: node-crash-cascade: nodeRecovered for media node \\S+ without a nodeCrashed before it \\(crashed before the input starts\\?\\)$`,
        ),
      ),
    );
    // A WebHook endpoint that does not receive nodeCrashed cannot tell.
    const types = ['nodeRecovered', 'mediaNodeStatusChanged', 'sessionCreated', 'sessionDestroyed'];
    const hooks = fragment.filter((l) => types.some((t) => l.startsWith(`{"${t}"`)));
    expect(check(hooks, { events: types }).filter((d) => d.includes('nodeRecovered'))).toEqual([]);
    expect(errorsOnly(check(hooks, { events: types }))).toEqual([]);
  });

  it('catches an illegal node transition as an error', () => {
    const i = indexOf(faults, (l) => l.includes('"newStatus":"running","oldStatus":"launching"'), 4);
    const broken = faults.map((l, k) =>
      k === i
        ? l.replace(
            '"newStatus":"running","oldStatus":"launching"',
            '"newStatus":"terminated","oldStatus":"launching"',
          )
        : l,
    );
    expect(errorsOnly(check(broken))[0]).toMatch(
      new RegExp(
        `^f\\.log:${i + 1}: media-node-status: media node \\S+: launching -> terminated is not a documented transition$`,
      ),
    );
  });
});

describe('autoscaling followed by its status changes', () => {
  it('accepts the bundled Pro day', () => {
    expect(check(day)).toEqual([]);
  });

  it('catches an autoscaling decision with no status change after it', () => {
    const a = indexOf(day, (l) => l.startsWith('{"autoscaling"'));
    const launched = indexOf(day, (l) => l.includes('"newStatus":"launching","oldStatus":null'), a);
    const broken = day.filter((_, i) => i !== launched);
    const errors = errorsOnly(check(broken));
    expect(
      errors.some((l) =>
        l.startsWith(
          `f.log:${a + 1}: autoscaling-followup: autoscaling decision not followed by its mediaNodeStatusChanged events: 1 new node(s) → launching`,
        ),
      ),
    ).toBe(true);
  });
});
