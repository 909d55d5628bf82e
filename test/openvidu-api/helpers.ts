import { createServer, type OvsimServer, type ServerOptions } from '../../src/server/create-server.js';
import type { LogEntry } from '../../src/server/event-log.js';
import { openviduApiMounts, type OpenviduApiOptions } from '../../src/server/openvidu-api/index.js';
import { LifecycleValidator, formatDiagnostic } from '../../src/validate/index.js';

import { AUTH, SECRET, T0, jsonCaller, type Json, type Running } from '../server/helpers.js';

export { AUTH, SECRET, T0, type Json };

export interface FakeOpenvidu {
  server: OvsimServer;
  url: string;
  /** Every event of the run, as logged (CDR and WebHook lines). */
  entries: LogEntry[];
  /** JSON request with auth, as the server tests make them. */
  call: Running['call'];
  close(): Promise<void>;
}

/** The fake OpenVidu on 127.0.0.1:0; virtual time flows at `speed` (default 200×) unless `paused`. */
export async function startFake(
  options: ServerOptions = {},
  api: OpenviduApiOptions = {},
): Promise<FakeOpenvidu> {
  const server = createServer({
    port: 0,
    secret: SECRET,
    seed: 1,
    start: T0,
    speed: 200,
    mounts: openviduApiMounts(api),
    ...options,
  });
  const entries: LogEntry[] = [];
  server.simulation.subscribe((m) => {
    if (m.type === 'batch') entries.push(...m.batch.events);
  });
  const { url } = await server.listen();
  const call = jsonCaller(url);
  return { server, url, entries, call, close: () => server.close() };
}

/** Polls `f` every 10 ms until it resolves truthy, for at most `ms` wall ms (and at most ms/10 tries). */
export async function until<T>(f: () => T | Promise<T>, ms = 5000): Promise<T> {
  const tries = Math.ceil(ms / 10);
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met in time');
}

/** Validator errors of the run's lines (`webhook` or `cdr`). */
export function validationErrors(entries: readonly LogEntry[], kind: 'cdr' | 'webhook'): string[] {
  const v = new LifecycleValidator({ version: '2.32' });
  const lines = entries.flatMap((e) => (e[kind] === null ? [] : [e[kind] as string]));
  const ds = lines.flatMap((l, i) => v.push(l, i + 1, `${kind}.jsonl`));
  ds.push(...v.finish());
  return ds.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

export const names = (entries: readonly LogEntry[]) => entries.map((e) => e.name);
