/**
 * OpenVidu#433 over HTTP: a recording whose recorder hung stays `started`, and the REST API's stop answers 500 with
 * Spring Boot's error body (the refusal `recording-stuck` maps to 500 in src/server/refusal-status.ts).
 */
import { afterEach, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { startFake, type FakeOpenvidu } from './helpers.js';

let fake: FakeOpenvidu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const API = '/openvidu/api';
const SCENARIO = `
steps:
  - { at: 0s, createSession: { session: s, customSessionId: S } }
  - { at: 1s, join: { session: s, participant: a } }
  - { at: 2s, startRecording: { session: s, outputMode: INDIVIDUAL, stuck: true } }
`;

it('answers 500 to the stop of a stuck recording, which stays started', async () => {
  fake = await startFake({ paused: true, scenario: parseScenarioText(SCENARIO, 'stuck.yaml') });
  const f = fake;
  for (let i = 0; i < 3; i++) await f.call('POST', '/api/step');
  expect((await f.call('GET', `${API}/recordings/S`)).body).toMatchObject({ id: 'S', status: 'started' });
  const stop = await f.call('POST', `${API}/recordings/stop/S`);
  expect(stop.status).toBe(500);
  expect(stop.body).toMatchObject({
    status: 500,
    error: 'Internal Server Error',
    path: `${API}/recordings/stop/S`,
  });
  expect(stop.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect((await f.call('GET', `${API}/recordings/S`)).body).toMatchObject({ status: 'started', size: 0 });
  // Closing the session ends it: stopped, then failed.
  expect((await f.call('DELETE', `${API}/sessions/S`)).status).toBe(204);
  const statuses = f.entries
    .filter((e) => e.name === 'recordingStatusChanged')
    .map((e) => (JSON.parse(e.webhook as string) as { status: string }).status);
  expect(statuses).toEqual(['started', 'stopped', 'failed']);
});
