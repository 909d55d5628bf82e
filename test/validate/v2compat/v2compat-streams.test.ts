/**
 * `validate --server openvidu3-v2compat`: the OpenVidu 2 rules with the v2-compatibility module's restrictions
 * (src/validate/lifecycle/v2compat.ts). What the module sends passes; each thing it never sends, slipped into an
 * otherwise valid stream, is one error at its line; a full OpenVidu 2 stream is told apart from the module's.
 */
import { describe, expect, it } from 'vitest';
import { V2COMPAT_EVENTS } from '../../../src/model/v2compat.js';
import type { Diagnostic } from '../../../src/validate/rules.js';
import { createStreamValidator } from '../../../src/validate/stream-validator.js';
import { bundledBodies, bundledScenarios } from '../../ov3/helpers.js';
import { cli } from '../../cli/run-cli.js';
import { tempDir } from '../../webhook/helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Body = Record<string, unknown> & { event: string };

function check(lines: readonly string[], server: 'openvidu2' | 'openvidu3-v2compat' = 'openvidu3-v2compat') {
  const v = createStreamValidator({ server });
  const out: Diagnostic[] = [];
  lines.forEach((l, i) => out.push(...v.push(l, i + 1, 'hooks.jsonl')));
  out.push(...v.finish());
  return { errors: out.filter((d) => d.severity === 'error'), summary: v.summary() };
}

const bodies = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as Body);
const lines = (bs: readonly Body[]) => bs.map((b) => JSON.stringify(b));

describe('validate --server openvidu3-v2compat', () => {
  it.each(bundledScenarios())('%s: what the module sends passes', async (name) => {
    const stream = await bundledBodies(name, { server: 'openvidu3-v2compat' });
    const { errors, summary } = check(stream);
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ server: 'openvidu3-v2compat' });
  });

  describe('each thing the module never sends is one error at its line', () => {
    let base: Body[] = [];
    const at = (pred: (b: Body) => boolean) => {
      const i = base.findIndex(pred);
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    /** The stream with line `i` replaced (or, with `insert`, a line added before it): its v2compat errors. */
    const mutated = (i: number, b: Body, insert = false) => {
      const copy = [...base];
      copy.splice(i, insert ? 0 : 1, b);
      return check(lines(copy)).errors.filter((d) => d.rule === 'v2compat');
    };

    it('a baseline with none', async () => {
      base = bodies(await bundledBodies('leave-reasons', { server: 'openvidu3-v2compat' }));
      expect(check(lines(base)).errors).toEqual([]);
    });

    it.each([
      [
        'a real location',
        (b: Body) => b.event === 'participantJoined',
        (b: Body) => ({ ...b, location: 'Madrid, Spain' }),
        /location is "Madrid, Spain".*always sends "unknown"/,
      ],
      [
        'a measured frame rate',
        (b: Body) => b.event === 'webrtcConnectionCreated' && b.videoFramerate !== undefined,
        (b: Body) => ({ ...b, videoFramerate: 24 }),
        /videoFramerate is 24.*always sends 30/,
      ],
      [
        'a reason the module cannot tell apart',
        (b: Body) => b.event === 'participantLeft',
        (b: Body) => ({ ...b, reason: 'forceDisconnectByUser' }),
        /reason "forceDisconnectByUser".*sends "forceDisconnectByServer"/,
      ],
      [
        'a media-server reason (no media nodes in OpenVidu 3)',
        (b: Body) => b.event === 'participantLeft',
        (b: Body) => ({ ...b, reason: 'mediaServerDisconnect' }),
        /reason "mediaServerDisconnect".*sends "networkDisconnect"/,
      ],
    ])('%s', (_what, pick, change, message) => {
      const i = at(pick);
      const errors = mutated(i, change(base[i]!));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: i + 1, severity: 'error' });
      expect(errors[0]!.message).toMatch(message);
    });

    it('an INBOUND connection (subscriptions send nothing)', () => {
      const i = at((b) => b.event === 'webrtcConnectionCreated');
      const inbound = { ...base[i]!, connection: 'INBOUND', receivingFrom: 'con_Other' };
      const errors = mutated(i + 1, inbound, true);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: i + 2 });
      expect(errors[0]!.message).toContain('INBOUND webrtcConnectionCreated');
    });

    it('an event outside its eight (filters, media nodes, autoscaling)', () => {
      for (const event of ['filterEventDispatched', 'mediaNodeStatusChanged', 'nodeCrashed', 'autoscaling']) {
        expect(V2COMPAT_EVENTS).not.toContain(event);
        const i = at((b) => b.event === 'participantJoined');
        const errors = mutated(i + 1, { ...base[i]!, event }, true);
        expect(errors.map((d) => d.line)).toEqual([i + 2]);
        expect(errors[0]!.message).toContain(`does not send ${event}`);
      }
    });

    it('a CDR line (OpenVidu 3 writes none)', () => {
      const i = at((b) => b.event === 'sessionCreated');
      const { event, ...data } = base[i]!;
      const cdr = { [event]: data } as unknown as Body;
      const errors = mutated(i, cdr);
      expect(errors.map((d) => d.line)).toEqual([i + 1]);
      expect(errors[0]!.message).toContain('OpenVidu 3 writes no CDR');
    });
  });

  it("tells a full OpenVidu 2 stream from the module's: INBOUND and real locations are errors", async () => {
    const full = await bundledBodies('default', {});
    expect(check(full, 'openvidu2').errors).toEqual([]);
    const { errors } = check(full);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((d) => d.rule))).toEqual(new Set(['v2compat']));
    expect(errors.some((d) => d.message.includes('INBOUND'))).toBe(true);
  });

  it("from the command line: exit 0 on the module's bodies, 1 on a full OpenVidu 2 stream", async () => {
    const dir = tempDir();
    const compat = join(dir, 'compat.jsonl');
    const full = join(dir, 'full.jsonl');
    writeFileSync(
      compat,
      (await bundledBodies('default', { server: 'openvidu3-v2compat' })).join('\n') + '\n',
    );
    writeFileSync(full, (await bundledBodies('default', {})).join('\n') + '\n');
    const ok = await cli('validate', '--server', 'openvidu3-v2compat', compat);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const bad = await cli('validate', '--server', 'openvidu3-v2compat', full);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('INBOUND');
  });
});
