// COMPOSED_QUICK_START arrived in OpenVidu v2.15.0 (Recording.OutputMode): a 2.14 server's control API refuses it.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type Running } from './helpers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('control API under OpenVidu 2.14', () => {
  it('refuses an action with COMPOSED_QUICK_START (400, naming the field), and does nothing', async () => {
    running = await startServer({ version: '2.14' });
    const why = 'outputMode COMPOSED_QUICK_START arrived in OpenVidu 2.15; OpenVidu 2.14 does not have it';
    const session = await running.act('createSession', {
      session: 's',
      defaultRecording: { outputMode: 'COMPOSED_QUICK_START' },
    });
    expect(session.status).toBe(400);
    expect(session.body.error.message).toContain(`args.defaultRecording.outputMode: ${why}`);
    expect((await running.call('GET', '/api/state')).body.snapshot.sessions).toEqual([]);
    expect((await running.act('createSession', { session: 's' })).status).toBe(200);
    await running.act('join', { session: 's', participant: 'a' });
    const rec = await running.act('startRecording', { session: 's', outputMode: 'COMPOSED_QUICK_START' });
    expect(rec.status).toBe(400);
    expect(rec.body.error.message).toContain(`args.outputMode: ${why}`);
  });

  it('refuses an uploaded scenario that uses it, at its line', async () => {
    running = await startServer({ version: '2.14' });
    const yaml = 'steps:\n  - at: 0s\n    startRecording: { session: s, outputMode: COMPOSED_QUICK_START }\n';
    const r = await running.call('POST', '/api/scenario', yaml, { 'content-type': 'application/yaml' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(
      /^upload\.yaml:3:\d+ steps\[0\]\.startRecording\.outputMode: outputMode COMPOSED_QUICK_START arrived/,
    );
  });

  it('2.15 accepts it', async () => {
    running = await startServer({ version: '2.15' });
    expect(
      (
        await running.act('createSession', {
          session: 's',
          defaultRecording: { outputMode: 'COMPOSED_QUICK_START' },
        })
      ).status,
    ).toBe(200);
  });
});
