import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { runScore, type ScoreArgs } from '../../src/cli/commands/score.js';
import type { Truth } from '../../src/truth/truth-schema.js';
import { generateWithTruth } from '../truth/helpers.js';

let truth: Truth;
let truthFile: string;
let dir: string;

/** The view a perfect consumer of `truth` would give (seconds truncated, as from CDR durations). */
function perfectView(t: Truth) {
  return {
    sessions: t.sessions.map((s) => ({
      sessionId: s.sessionId,
      open: s.open,
      participants: s.participants.map((p) => ({
        participantId: p.participantId,
        seconds: Math.trunc(p.connectedSeconds),
        online: p.open,
      })),
    })),
    recordings: t.recordings.map((r) => ({
      id: r.id,
      status: r.status,
      processed: r.status === 'ready' ? 1 : 0,
    })),
  };
}

function csvOf(t: Truth, extra = ''): string {
  const rows = t.sessions.flatMap((s) =>
    s.participants.map(
      (p) => `"${s.sessionId}",${p.participantId},${p.connectedSeconds},${p.open ? 'yes' : 'no'},x`,
    ),
  );
  return `sessionId,participantId,Seconds,online,comment\r\n${rows.join('\r\n')}\r\n${extra}`;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  const run = await generateWithTruth('default');
  truth = run.truth;
  truthFile = run.truthFile;
  dir = dirname(truthFile);
});

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('ovsim score with a file', () => {
  it('passes a perfect view (exit 0) and fails a wrong one (exit 1), naming each divergence and its size', async () => {
    const view = perfectView(truth);
    const ok = await cli('score', '--truth', truthFile, '--actual', write('ok.json', JSON.stringify(view)));
    expect(ok.stdout).toMatch(/0 divergence\(s\)[\s\S]*verdict: PASS/);
    expect(ok.code).toBe(0);
    const p = view.sessions[0]!.participants[0]!;
    p.seconds *= 2;
    const bad = await cli('score', '--truth', truthFile, '--actual', write('bad.json', JSON.stringify(view)));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      new RegExp(`minutes-overcounted +participant ${p.participantId} of \\S+: .*\\(\\+`),
    );
    expect(bad.stdout).toMatch(
      /FAILED thresholds: 1 divergence\(s\) > 0 \(--max-divergences\)\nverdict: FAIL/,
    );
    const allowed = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      join(dir, 'bad.json'),
      '--max-divergences',
      '1',
    );
    expect(allowed.code).toBe(0);
  });

  it('--format json: one document with the verdict, counts, totals, thresholds and every divergence', async () => {
    const view = perfectView(truth);
    view.recordings[0]!.processed = 2;
    const r = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      write('j.json', JSON.stringify(view)),
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      verdict: 'fail',
      actualFormat: 'json',
      keyedBy: 'sessionId',
      counts: { 'recording-processed-twice': 1 },
      thresholds: { maxDivergences: 0, passed: false, breaches: ['1 divergence(s) > 0 (--max-divergences)'] },
      divergences: [{ kind: 'recording-processed-twice', count: 1, expected: 1, actual: 2 }],
    });
    expect((doc['totals'] as { truthSeconds: number }).truthSeconds).toBe(truth.billing.participantSeconds);
  });

  it('bad input exits 2 naming the file, line, column and field; nothing is scored', async () => {
    const view = JSON.stringify(
      { sessions: [{ sessionId: 'x', participants: [{ participantId: 'c', online: 'yes' }] }] },
      null,
      2,
    );
    const r = await cli('score', '--truth', truthFile, '--actual', write('invalid.json', view));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid\.json:8:\d+ sessions\[0\]\.participants\[0\]\.online: .*boolean/);
    const noTime = write(
      'notime.json',
      '{"sessions":[{"sessionId":"x","participants":[{"participantId":"c"}]}]}',
    );
    const r2 = await cli('score', '--truth', truthFile, '--actual', noTime);
    expect(r2.stderr).toMatch(
      /notime\.json:1:\d+ sessions\[0\]\.participants\[0\]\.seconds: needs seconds or minutes/,
    );
    expect(r.stdout).toBe('');
    const syntax = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      write('syntax.json', '{"sessions":\n [1,}'),
    );
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/syntax\.json:2:\d+: the consumer's view .* is not JSON/);
    const notTruth = await cli(
      'score',
      '--truth',
      write('nt.json', '{"format":"other/2"}'),
      '--actual',
      join(dir, 'ok.json'),
    );
    expect(notTruth.code).toBe(2);
    expect(notTruth.stderr).toMatch(/format "other\/2" is not ovsim-truth\/1/);
    const missing = await cli('score', '--truth', join(dir, 'nope.json'), '--actual', join(dir, 'ok.json'));
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringMatching(/--truth .*nope\.json: no such file/),
    ]);
    for (const [flag, value] of [
      ['--max-minutes-error', '2'],
      ['--tolerance', 'soon'],
      ['--max-divergences', '-1'],
      ['--effects-wait', '1s'],
      ['--actual-header', 'no colon'],
    ]) {
      const o = await cli(
        'score',
        '--truth',
        truthFile,
        '--actual',
        join(dir, 'ok.json'),
        flag as string,
        value as string,
      );
      expect([o.code, o.stderr]).toEqual([2, expect.stringContaining(flag as string)]);
    }
  });
});

describe('ovsim score with a CSV export', () => {
  it('reads the documented columns (any order and case, quotes, CRLF, other columns ignored)', async () => {
    const r = await cli('score', '--truth', truthFile, '--actual', write('ok.csv', csvOf(truth)));
    expect(r.stdout).toMatch(/verdict: PASS/);
    expect(r.stdout).toMatch(/the view has no recordings/);
    expect(r.code).toBe(0);
    const s = truth.sessions[0]!;
    const extra = `${s.sessionId},${s.participants[0]!.participantId},30,no,again\n`;
    const dup = await cli('score', '--truth', truthFile, '--actual', write('dup.csv', csvOf(truth, extra)));
    expect(dup.code).toBe(1);
    expect(dup.stdout).toMatch(/duplicate-participant[\s\S]*minutes-overcounted/);
  });

  it('a bad row exits 2 naming its line and column', async () => {
    const r = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      write('bad.csv', 'sessionId,participantId,minutes\ns,"p\nq",x\n'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv:2: column minutes: "x" is not a number of minutes/);
    const header = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      write('h.csv', 'session,participantId,seconds\n'),
    );
    expect([header.code, header.stderr]).toEqual([
      2,
      expect.stringMatching(/h\.csv:1: the header has no sessionId column/),
    ]);
  });
});

describe('ovsim score with a URL', () => {
  it('GETs the view, with the headers given, as JSON or (text/csv) as CSV', async () => {
    const seen: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/usage.csv')
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(csvOf(truth));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(perfectView(truth)));
    });
    const json = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      `${base}/usage`,
      '--actual-header',
      'Authorization: Bearer t0k',
    );
    expect([json.code, seen]).toEqual([0, ['Bearer t0k']]);
    const csv = await cli('score', '--truth', truthFile, '--actual', `${base}/usage.csv`, '--format', 'json');
    expect(JSON.parse(csv.stdout)).toMatchObject({ actualFormat: 'csv', verdict: 'pass' });
  });

  it('an error status, a refused connection or a silent server exits 1 within --timeout', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.writeHead(503).end('busy');
    });
    const failed = await cli('score', '--truth', truthFile, '--actual', `${base}/usage`);
    expect([failed.code, failed.stderr]).toEqual([1, expect.stringMatching(/answered 503/)]);
    const slow = await cli('score', '--truth', truthFile, '--actual', `${base}/slow`, '--timeout', '300ms');
    expect([slow.code, slow.stderr]).toEqual([1, expect.stringMatching(/no whole answer within 300 ms/)]);
    const closed = await serve(() => undefined);
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 50));
    const refused = await cli('score', '--truth', truthFile, '--actual', `${closed}/usage`);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/ECONNREFUSED/)]);
    const ftp = await cli('score', '--truth', truthFile, '--actual', 'ftp://127.0.0.1/usage');
    expect(ftp.code).toBe(2);
  });
});

describe('ovsim score --effects-port', () => {
  it('counts side effects behind the secret until POST /done, then scores duplicates', async () => {
    let stderr = '';
    let stdout = '';
    const io = {
      stdout: (t: string) => void (stdout += t),
      stderr: (t: string) => void (stderr += t),
      stderrIsTTY: false,
    };
    const viewUrl = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(perfectView(truth))),
    );
    const args: ScoreArgs = {
      truth: truthFile,
      actual: `${viewUrl}/usage`,
      format: 'json',
      effectsPort: 0,
      secret: 'S3cret',
    };
    const done = runScore(args, io, {});
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /POST \{"effect":"…"\} to (\S+)/.exec(stderr)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 10));
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/effects$/);
    const auth = { authorization: `Basic ${Buffer.from('OPENVIDUAPP:S3cret').toString('base64')}` };
    const post = (body: string, headers: Record<string, string> = auth, to = url as string) =>
      fetch(to, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    expect((await post('{"effect":"charge:a"}', {})).status).toBe(401);
    expect((await post('{"nope":1}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    expect(await (await post('{"effect":"charge:a"}')).json()).toEqual({ effect: 'charge:a', count: 1 });
    expect(await (await post('{"effect":"charge:a"}')).json()).toEqual({ effect: 'charge:a', count: 2 });
    expect((await post('{"effect":"charge:b"}')).status).toBe(200);
    expect((await post('', auth, (url as string).replace(/effects$/, 'done'))).status).toBe(202);
    expect(await done).toBe(1);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      divergences: [{ kind: 'duplicate-effect', effect: 'charge:a', count: 1 }],
      totals: { effects: { distinct: 2, total: 3, duplicates: 1 } },
      thresholds: { breaches: ['1 duplicate side effect(s) > 0 (--max-duplicate-effects)'] },
    });
    expect(stderr).toMatch(/3 effects request\(s\) refused/);
  });

  it('stops counting after --effects-wait and scores what it has', async () => {
    const view = join(dir, 'ok.json');
    writeFileSync(view, JSON.stringify(perfectView(truth)));
    const r = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      view,
      '--effects-port',
      '0',
      '--effects-wait',
      '200ms',
    );
    expect(r.stderr).toMatch(/counting side effects/);
    expect(r.stdout).toMatch(/side effects: 0 reported, 0 distinct, 0 duplicate\(s\)\n[\s\S]*verdict: PASS/);
    expect(r.code).toBe(0);
  });

  it('refuses a secret OpenVidu would refuse (exit 2)', async () => {
    const r = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      join(dir, 'ok.json'),
      '--effects-port',
      '0',
      '--secret',
      'a b',
    );
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/--secret/)]);
  });
});
